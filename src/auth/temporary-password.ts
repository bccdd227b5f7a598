/**
 * Temporary passwords from forgot-password: random, hashed at rest, valid 30
 * minutes, single use, and never replacing the real password.
 */
import { and, desc, eq, gt, isNull } from 'drizzle-orm';
import type { Database } from '../db/client';
import { temporaryPasswords } from '../db/schema';
import { verifyPassword } from './password';

export const TEMPORARY_PASSWORD_MINUTES = 30;

/**
 * True when `password` is one of the user's live temporary passwords. With
 * `dryRun: false` it is also consumed (the update only succeeds once).
 */
export async function useTemporaryPassword(
  db: Database,
  userId: string,
  password: string,
  { dryRun }: { dryRun: boolean },
): Promise<boolean> {
  const now = new Date().toISOString();
  const live = await db
    .select({ id: temporaryPasswords.id, hash: temporaryPasswords.passwordHash })
    .from(temporaryPasswords)
    .where(
      and(
        eq(temporaryPasswords.userId, userId),
        isNull(temporaryPasswords.usedAt),
        gt(temporaryPasswords.expiresAt, now),
      ),
    )
    .orderBy(desc(temporaryPasswords.createdAt))
    .limit(3);
  for (const candidate of live) {
    if (!(await verifyPassword(candidate.hash, password))) continue;
    if (dryRun) return true;
    const used = await db
      .update(temporaryPasswords)
      .set({ usedAt: now })
      .where(and(eq(temporaryPasswords.id, candidate.id), isNull(temporaryPasswords.usedAt)))
      .returning({ id: temporaryPasswords.id });
    return used.length === 1;
  }
  return false;
}

/** Letters and digits that cannot be mistaken for each other when typed from a mail. */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const GROUPS = 4;
const GROUP_LENGTH = 4;

/** 16 random characters (about 92 bits) in dash-separated groups of four: `Xk7m-...`. */
export function newTemporaryPassword(): string {
  const chars: string[] = [];
  // Rejection sampling keeps every character equally likely.
  const limit = 256 - (256 % ALPHABET.length);
  while (chars.length < GROUPS * GROUP_LENGTH) {
    for (const byte of crypto.getRandomValues(new Uint8Array(32))) {
      if (byte < limit && chars.length < GROUPS * GROUP_LENGTH) chars.push(ALPHABET[byte % ALPHABET.length]!);
    }
  }
  const groups = [];
  for (let i = 0; i < GROUPS; i++) groups.push(chars.slice(i * GROUP_LENGTH, (i + 1) * GROUP_LENGTH).join(''));
  return groups.join('-');
}

export function temporaryPasswordExpiry(now = Date.now()): string {
  return new Date(now + TEMPORARY_PASSWORD_MINUTES * 60_000).toISOString();
}
