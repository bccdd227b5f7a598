/** Emails are trimmed and compared case-insensitively: stored lower-cased. */
export const normalizeEmail = (email: string) => email.trim().toLowerCase();
