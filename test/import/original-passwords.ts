/**
 * Passwords of the fixture's accounts from the original server, by role in
 * the story. Their hashes are made at test-build time by a reference
 * implementation (test/setup/reference-hashes.ts), never by our own code.
 */
export const ORIGINAL_PASSWORDS = {
  /** The original's built-in default for its first admin. */
  defaultAdmin: 'admin123',
  member: 'Torte-im-Büro-2019',
  /** The original set no minimum length. */
  short: 'kuchen',
} as const;

export type OriginalPasswordName = keyof typeof ORIGINAL_PASSWORDS;
