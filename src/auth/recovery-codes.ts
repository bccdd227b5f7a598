/**
 * 2FA recovery codes: 10 single-use codes handed out once when 2FA is
 * enabled, for the day the authenticator app is lost. Each is 12 characters
 * of a 31-letter alphabet (about 59 random bits), so a keyed hash at rest is
 * enough; using one deletes it, which makes it single-use under concurrency.
 */
import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { recoveryCodes } from '../db/schema';
import { keyedHash } from '../lib/keys';
import { randomGroups } from '../lib/random';

export const RECOVERY_CODE_COUNT = 10;
/** Lower case without 0/o, 1/l/i: read off paper and typed on a phone. */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
export const RECOVERY_CODE_PATTERN = /^[a-z2-9]{4}-?[a-z2-9]{4}-?[a-z2-9]{4}$/i;
/** A TOTP code, as opposed to a recovery code, in the fields that take either. */
export const isTotpCode = (code: string) => /^\d{6}$/.test(code);

const normalize = (code: string) => code.replace(/[\s-]/g, '').toLowerCase();
const hashCode = (secret: string, code: string) => keyedHash(secret, 'recovery-code', normalize(code));

/**
 * New codes, and the statements that replace the user's old ones with them
 * when `onlyIf` holds (checked inside the caller's batch, after the change
 * that enables 2FA: a lost race must not touch anyone's codes).
 */
export async function newRecoveryCodes(db: Database, secret: string, userId: string) {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => randomGroups(ALPHABET, 3, 4));
  const hashes = await Promise.all(codes.map((code) => hashCode(secret, code)));
  return {
    codes,
    statements: (onlyIf: SQL) =>
      [
        db.delete(recoveryCodes).where(and(eq(recoveryCodes.userId, userId), onlyIf)),
        db.insert(recoveryCodes).select(sql`select ${userId}, value from json_each(${JSON.stringify(hashes)}) where ${onlyIf}`),
      ] as const,
  };
}

export const dropRecoveryCodes = (db: Database, userId: string) =>
  db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));

/** Uses up `code`; false when it is not one of the user's unused codes. */
export async function useRecoveryCode(db: Database, secret: string, userId: string, code: string): Promise<boolean> {
  if (!RECOVERY_CODE_PATTERN.test(code)) return false;
  const used = await db
    .delete(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, userId), eq(recoveryCodes.codeHash, await hashCode(secret, code))))
    .returning({ userId: recoveryCodes.userId });
  return used.length === 1;
}
