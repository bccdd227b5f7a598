/**
 * Temporary passwords from forgot-password: random, hashed at rest, valid 30
 * minutes, single use, and never replacing the real password.
 *
 * They carry about 92 random bits, so a fast keyed hash at rest is enough (no
 * argon2): login finds a matching one in the same statement that loads the
 * user, and a wrong password costs the same whether or not one is pending.
 */
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Database } from '../db/client';
import { temporaryPasswords, users } from '../db/schema';
import { keyedHash } from '../lib/keys';
import { randomGroups } from '../lib/random';

export const TEMPORARY_PASSWORD_MINUTES = 30;

/** What is stored for a temporary password: a keyed hash, so a copy of the table alone cannot test guesses. */
export const hashTemporaryPassword = (secret: string, password: string): Promise<string> =>
  keyedHash(secret, 'temporary-password', password);

/**
 * Join condition: the user's unused, unexpired temporary password with this
 * hash. For a LEFT JOIN on `users` in the login query.
 */
export function liveTemporaryPassword(passwordHash: string, now: string) {
  return and(
    eq(temporaryPasswords.userId, users.id),
    eq(temporaryPasswords.passwordHash, passwordHash),
    isNull(temporaryPasswords.usedAt),
    gt(temporaryPasswords.expiresAt, now),
  );
}

/** Marks a temporary password used; false when it was used (or expired) meanwhile. Single use under concurrency. */
export async function consumeTemporaryPassword(db: Database, id: string, now: string): Promise<boolean> {
  const used = await db
    .update(temporaryPasswords)
    .set({ usedAt: now })
    .where(and(eq(temporaryPasswords.id, id), isNull(temporaryPasswords.usedAt), gt(temporaryPasswords.expiresAt, now)))
    .returning({ id: temporaryPasswords.id });
  return used.length === 1;
}

/** Letters and digits that cannot be mistaken for each other when typed from a mail. */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** 16 random characters (about 92 bits) in dash-separated groups of four: `Xk7m-...`. */
export const newTemporaryPassword = () => randomGroups(ALPHABET, 4, 4);

export function temporaryPasswordExpiry(now = Date.now()): string {
  return new Date(now + TEMPORARY_PASSWORD_MINUTES * 60_000).toISOString();
}
