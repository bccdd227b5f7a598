/**
 * Exponential backoff of failed password and 2FA attempts per account,
 * counted in D1 so it holds across every Cloudflare location (the rate-limit
 * bindings count per location and per full address). The first 5 failures
 * are free; then each blocks the key for 1 s, 2 s, 4 s … at most 15 minutes.
 * A success clears the count.
 *
 * Sign-ins are keyed by a keyed hash of the email, whether or not an account
 * uses it: an unknown email is counted and answered exactly like a known one,
 * and nobody can lock an account out by trying emails that differ from it.
 */
import { eq, type SQLWrapper, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { signInFailures } from '../db/schema';
import type { AppContext } from '../env';
import { ApiError } from '../errors';
import { keyedHash } from '../lib/keys';

export const FREE_FAILURES = 5;
export const MAX_BLOCK_SECONDS = 15 * 60;

export type FailureRow = { failures: number; blockedUntil: number | null } | undefined;

export const signInKey = async (c: AppContext, email: string) =>
  `email:${await keyedHash(c.env.JWT_SECRET, 'sign-in-failures', email)}`;
const ACCOUNT = 'user:';
export const accountKey = (userId: string) => `${ACCOUNT}${userId}`;
/** `accountKey` of a users row, in SQL (to join a user's count in the statement that loads them). */
export const accountKeyOf = (userId: SQLWrapper) => sql`${ACCOUNT} || ${userId}`;

export function failuresQuery(db: Database, key: string) {
  return db
    .select({ failures: signInFailures.failures, blockedUntil: signInFailures.blockedUntil })
    .from(signInFailures)
    .where(eq(signInFailures.key, key))
    .limit(1);
}

/** 429 with the exact wait while the key is blocked; checked before any hashing. */
export function assertNotBlocked(row: FailureRow, now = Date.now()): void {
  if (row?.blockedUntil && row.blockedUntil > now) {
    const seconds = Math.ceil((row.blockedUntil - now) / 1000);
    throw new ApiError('rate_limited', `Too many failed attempts; try again in ${seconds} s.`, {
      headers: { 'Retry-After': String(seconds) },
    });
  }
}

/** Counts one failure (atomically: concurrent failures each count) and blocks the key from the fifth on. */
export function recordFailure(db: Database, key: string, now = Date.now()) {
  const next = sql`${signInFailures.failures} + 1`;
  // 1 << n doubles per failure; SQLite has no pow() everywhere D1 runs.
  const wait = sql`min(${MAX_BLOCK_SECONDS}, 1 << min(${next} - ${FREE_FAILURES}, 10))`;
  return db
    .insert(signInFailures)
    .values({ key, failures: 1, blockedUntil: null, updatedAt: now })
    .onConflictDoUpdate({
      target: signInFailures.key,
      set: {
        failures: next,
        blockedUntil: sql`case when ${next} >= ${FREE_FAILURES} then ${now} + 1000 * ${wait} else null end`,
        updatedAt: now,
      },
    });
}

export const clearFailures = (db: Database, key: string) => db.delete(signInFailures).where(eq(signInFailures.key, key));

/**
 * The outcome of a credential check under backoff: a wrong one is counted
 * and answered with `error`; a right one clears an earlier count.
 */
export async function settle(c: AppContext, key: string, row: FailureRow, ok: boolean, error: ApiError): Promise<void> {
  const db = c.var.db;
  if (!ok) {
    await recordFailure(db, key);
    throw error;
  }
  if (row) await clearFailures(db, key);
}

/** Sweep of keys idle for a day (daily cron). */
export const sweepFailures = (db: Database, now = Date.now()) =>
  db.delete(signInFailures).where(sql`${signInFailures.updatedAt} < ${now - 24 * 60 * 60 * 1000}`);
