/**
 * Emails are trimmed and compared case-insensitively: stored lower-cased.
 * The one normalization of the project: request schemas (src/users/fields.ts)
 * and the admin bootstrap use it.
 */
export const normalizeEmail = (email: string) => email.trim().toLowerCase();
