/**
 * Per-user write budgets: what one member may do in a row before 429, so no
 * account can flood its groups (each new event mails every member, each
 * rating is a live message, each upload is stored).
 *
 * Two kinds. Hourly budgets are counted in D1 (a fixed window per user and
 * action, exact across every location), riding in the token check's batch so
 * they cost no round trip. Per-minute budgets use the WRITE_LIMITER rate-limit
 * binding (60 a minute per user and action), which counts per Cloudflare
 * location: cheap, and enough against a loop from one client.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { writeBudgets } from '../db/schema';
import type { AppContext } from '../env';
import { ApiError } from '../errors';

/** Hourly, exact (D1). */
export const HOURLY_BUDGETS = { 'create-event': 20, 'rotate-calendar': 10 } as const;
/** Per minute, per location (the WRITE_LIMITER binding's limit). */
export const PER_MINUTE = 60;
const MINUTE_BUDGETS = [
  'rate-event',
  'upload-photo',
  'delete-event',
  'edit-event',
  'stream-ticket',
  'settings',
  'group-settings',
  'schedule',
  'absences',
  'assignments',
  'handovers',
  'swaps',
  'channels',
] as const;

export type HourlyBudget = keyof typeof HOURLY_BUDGETS;
export type MinuteBudget = (typeof MINUTE_BUDGETS)[number];
export type WriteBudget = HourlyBudget | MinuteBudget;

const HOUR_MS = 60 * 60 * 1000;

export const isHourly = (budget: WriteBudget): budget is HourlyBudget => budget in HOURLY_BUDGETS;

const exhausted = (seconds: number) =>
  new ApiError('rate_limited', `Too many of these in a row; try again in ${seconds} s.`, {
    headers: { 'Retry-After': String(seconds) },
  });

export async function spendPerMinute(c: AppContext, budget: MinuteBudget, userId: string): Promise<void> {
  const { success } = await c.env.WRITE_LIMITER.limit({ key: `${budget}:${userId}` });
  if (!success) throw exhausted(60);
}

/**
 * Takes one unit of an hourly budget, only while `sessionMayAct` holds (it
 * rides in the batch that checks the session, so a revoked token must not
 * spend its owner's budget); returns how much of the window is used and when
 * it opened, or no row when nothing was spent.
 */
export const spendHourly = (db: Database, budget: HourlyBudget, userId: string, sessionMayAct: SQL, now = Date.now()) =>
  countInWindow(db, `${budget}:${userId}`, HOUR_MS, now, sessionMayAct);

/**
 * Counts one more under `key` in a fixed window of `windowMs` (a new window
 * opens with the first count after the last one closed); returns the count
 * so far in the window and when it opened. With `onlyIf`, counts nothing
 * (and returns no row) unless that condition holds when the statement runs.
 */
export function countInWindow(db: Database, key: string, windowMs: number, now = Date.now(), onlyIf?: SQL) {
  const expired = sql`${writeBudgets.windowStart} <= ${now - windowMs}`;
  const insert = db.insert(writeBudgets);
  return (
    onlyIf ? insert.select(sql`select ${key}, ${now}, 1 where ${onlyIf}`) : insert.values({ key, windowStart: now, used: 1 })
  )
    .onConflictDoUpdate({
      target: writeBudgets.key,
      set: {
        used: sql`case when ${expired} then 1 else ${writeBudgets.used} + 1 end`,
        windowStart: sql`case when ${expired} then ${now} else ${writeBudgets.windowStart} end`,
      },
    })
    .returning({ used: writeBudgets.used, windowStart: writeBudgets.windowStart });
}

/** 429 with the wait until the window closes, once the budget is spent. */
export function checkHourly(budget: HourlyBudget, spent: { used: number; windowStart: number } | undefined, now = Date.now()) {
  if (spent && spent.used > HOURLY_BUDGETS[budget]) {
    throw exhausted(Math.max(1, Math.ceil((spent.windowStart + HOUR_MS - now) / 1000)));
  }
}

export const sweepBudgets = (db: Database, now = Date.now()) =>
  db.delete(writeBudgets).where(sql`${writeBudgets.windowStart} < ${now - 24 * HOUR_MS}`);
