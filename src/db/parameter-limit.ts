/**
 * D1 binds at most 100 parameters per statement (local D1 binds any number,
 * so only production would fail). A statement whose parameters grow with the
 * data is split into slices that stay within the limit, sent in one batch.
 */
export const D1_MAX_PARAMETERS = 100;

/** `items` in slices of at most as many as fit one statement, binding `perItem` parameters each. */
export function withinParameterLimit<T>(items: readonly T[], perItem: number): T[][] {
  const size = Math.floor(D1_MAX_PARAMETERS / perItem);
  const slices: T[][] = [];
  for (let i = 0; i < items.length; i += size) slices.push(items.slice(i, i + size));
  return slices;
}
