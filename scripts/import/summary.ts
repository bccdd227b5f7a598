/**
 * What an import did (or, in a dry run, would do): per kind of row how many
 * the source holds, how many are new here, already here as they are, here
 * with other content (kept as they are here), and skipped, with every
 * skipped or differing row and why.
 */

const KINDS = ['users', 'groups', 'memberships', 'events', 'ratings', 'gallery photos', 'cover photos'] as const;
export type Kind = (typeof KINDS)[number];

interface Count {
  /** Rows (or photos) the source holds. */
  source: number;
  /** Written by this run. */
  new: number;
  /** Already here with the same content. */
  unchanged: number;
  /** Already here with other content: kept as it is here, listed in `different`. */
  different: number;
  /** Not imported, listed in `skipped`. */
  skipped: number;
}

interface SkippedRow {
  kind: Kind;
  id: string;
  reason: string;
}

interface DifferentRow {
  kind: Kind;
  id: string;
  /** The columns whose content here is not what the source holds. */
  fields: string[];
}

export interface Summary {
  counts: Record<Kind, Count>;
  skipped: SkippedRow[];
  different: DifferentRow[];
  /** Things a person should know that are not skips: the default admin, renamed groups, … */
  notes: string[];
}

export function emptySummary(): Summary {
  const counts = Object.fromEntries(KINDS.map((k) => [k, { source: 0, new: 0, unchanged: 0, different: 0, skipped: 0 }]));
  return { counts: counts as Record<Kind, Count>, skipped: [], different: [], notes: [] };
}

export const nothingNew = (summary: Summary) => KINDS.every((k) => summary.counts[k].new === 0);

export interface FormatOptions {
  dryRun: boolean;
  /** At most this many skipped and differing rows are listed; the rest are counted. */
  listLimit?: number;
}

const n = (value: number) => value.toLocaleString('en');

export function formatSummary(summary: Summary, options: FormatOptions): string {
  const limit = options.listLimit ?? Infinity;
  const lines: string[] = [];
  const head = ['', 'in source', options.dryRun ? 'would be new' : 'new', 'already here', 'here, different', 'skipped'];
  const rows = KINDS.map((k) => {
    const c = summary.counts[k];
    return [k, n(c.source), n(c.new), n(c.unchanged), n(c.different), n(c.skipped)];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const row of [head, ...rows])
    lines.push(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '));

  const list = (title: string, items: string[]) => {
    if (!items.length) return;
    lines.push('', `${title} (${n(items.length)}):`);
    for (const item of items.slice(0, limit)) lines.push(`  ${item}`);
    if (items.length > limit) lines.push(`  … and ${n(items.length - limit)} more`);
  };
  list('Notes', summary.notes);
  list(
    'Skipped',
    summary.skipped.map((s) => `${s.kind} ${s.id}: ${s.reason}`),
  );
  list(
    'Here with other content, kept as it is here',
    summary.different.map((d) => `${d.kind} ${d.id}: ${d.fields.join(', ')}`),
  );
  lines.push('');
  if (options.dryRun) lines.push('Dry run: nothing was written.');
  else if (nothingNew(summary)) {
    const kept = summary.different.length;
    lines.push(
      `Nothing changed: everything the source holds was already here${kept ? ` (${n(kept)} with other content here, kept)` : ''}.`,
    );
  }
  return lines.join('\n');
}
