/**
 * The password policy, as one pure function the Worker's request schemas and
 * the local setup script (Node, scripts/local-admin.mjs) both use, so a
 * password `.dev.vars` offers is judged by the very rules the API applies.
 * The common-password list ships with the code: no lookup service sees a
 * password.
 */
// The `.ts` extension lets Node run this module directly (type stripping),
// not only through the Worker's bundler.
import { COMMON_PASSWORDS } from './common-passwords.ts';

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

export const PASSWORD_RULES = {
  tooShort: `At least ${PASSWORD_MIN_LENGTH} characters`,
  tooLong: `At most ${PASSWORD_MAX_LENGTH} characters`,
  tooCommon: 'This password is too common; choose another',
} as const;

let set: Set<string> | undefined;

/** Checked case-insensitively. */
export function isCommonPassword(password: string): boolean {
  set ??= new Set(COMMON_PASSWORDS);
  return set.has(password.toLowerCase());
}

/** Why a password is refused, or undefined when it meets the policy. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < PASSWORD_MIN_LENGTH) return PASSWORD_RULES.tooShort;
  if (password.length > PASSWORD_MAX_LENGTH) return PASSWORD_RULES.tooLong;
  if (isCommonPassword(password)) return PASSWORD_RULES.tooCommon;
  return undefined;
}
