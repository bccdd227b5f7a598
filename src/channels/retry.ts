/**
 * When a failed delivery is tried again. Exponential backoff with jitter:
 * the n-th retry waits between 75 % and 100 % of its base, the bases
 * growing from 20 s (the first retry within 30 s) and 4 min (the second
 * within 5 minutes) to the 12 h a queue message may be delayed at most.
 * 10 retries, 11 attempts: at least 29 h from the first attempt to the
 * last, whatever the jitter. A `Retry-After` later than the schedule wins
 * (up to the same 12 h cap).
 */

/** Queues' cap on a message's delay (`delaySeconds`). */
export const MAX_DELAY_SECONDS = 12 * 60 * 60;

const BASES = [20, 240, 900, 1800, 3600, 7200, 14_400, 28_800, 43_200, 43_200] as const;

/** Attempts in all (the queue's `max_retries` is one fewer). */
export const MAX_ATTEMPTS = BASES.length + 1;

/**
 * Seconds before the retry after failed attempt `attempt` (1-based), or
 * null when that was the last. `random` in [0, 1).
 */
export function retryDelay(attempt: number, retryAfterSeconds: number | null, random = Math.random()): number | null {
  const base = BASES[attempt - 1];
  if (base === undefined) return null;
  const jittered = Math.ceil(base * (0.75 + 0.25 * random));
  return Math.min(Math.max(jittered, retryAfterSeconds ?? 0), MAX_DELAY_SECONDS);
}

/** `Retry-After` in seconds: delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}
