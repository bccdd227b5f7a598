/**
 * Rejects the most common passwords (checked case-insensitively). The list
 * ships with the code: no lookup service sees a password.
 */
import { COMMON_PASSWORDS } from './common-passwords';

let set: Set<string> | undefined;

export function isCommonPassword(password: string): boolean {
  set ??= new Set(COMMON_PASSWORDS);
  return set.has(password.toLowerCase());
}
