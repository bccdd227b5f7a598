/**
 * The daily run (wrangler.toml `crons`): reminder mails, the sweeps, the
 * cake ledger's count of the cakes that came due, the assignments of
 * autoAssign groups and the reminders of pending assignments, and the
 * channels' daily messages (one queue job per group: src/channels/daily.ts).
 * Awaited, not waitUntil: a failed run must be reported as failed. Each job
 * runs to its end whatever another does (a failing R2 must not cut the
 * reminders short); the run fails after all of them settled. Each job logs
 * one line (`daily job`: its name, outcome, duration and what it counted:
 * reminders sent, rows swept, cakes counted), and the run one summary line
 * (`daily run`), at `error` when a job failed.
 */
import { sweepFailures } from '../auth/backoff';
import { sweepBudgets } from '../auth/budgets';
import { queueDailyChannelJobs } from '../channels/daily';
import { createDb, type Database } from '../db/client';
import type { Bindings } from '../env';
import { log, logError, logInfo } from '../lib/log';
import { sendReminders } from '../mail/reminders';
import { retryPhotoDeletions } from '../photos/deletion';
import { autoAssignAll } from '../planning/auto-assign';
import { countAllDueCakes } from '../planning/ledger';
import { remindPendingAssignments } from '../planning/reminders';

/** What a job returned, as a log field: a count (the rows a sweep deleted), or nothing. */
function countOf(result: unknown): number | undefined {
  if (typeof result === 'number') return result;
  const changes = (result as { meta?: { changes?: unknown } } | null)?.meta?.changes;
  return typeof changes === 'number' ? changes : undefined;
}

/** A job's error, with how long the job ran. */
class JobFailure extends Error {
  durationMs = 0;
}

export async function runDailyJobs(scheduledTime: number, env: Bindings): Promise<void> {
  const started = performance.now();
  const db = createDb(env.DB);
  const jobs: [name: string, run: () => Promise<unknown>][] = [
    ['reminders', () => sendReminders(env, new Date(scheduledTime))],
    ['sign-in failure sweep', async () => sweepFailures(db, scheduledTime)],
    ['write budget sweep', async () => sweepBudgets(db, scheduledTime)],
    ['photo deletion retry', () => retryPhotoDeletions(db, env.PHOTOS)],
    // Counted first: the ledger's new balances decide whom the assignments ask.
    ['cake ledger and assignments', () => countThenAssign(db, env, new Date(scheduledTime))],
    ['assignment reminders', () => remindPendingAssignments(db, env, new Date(scheduledTime))],
    ['channel messages', () => queueDailyChannelJobs(env, db, scheduledTime)],
  ];
  const timed = jobs.map(async ([, run]) => {
    const start = performance.now();
    try {
      return { result: await run(), durationMs: Math.round(performance.now() - start) };
    } catch (error) {
      throw Object.assign(new JobFailure(), { cause: error, durationMs: Math.round(performance.now() - start) });
    }
  });
  const outcomes = await Promise.allSettled(timed);
  const failed: string[] = [];
  outcomes.forEach((outcome, i) => {
    const job = jobs[i]![0];
    if (outcome.status === 'fulfilled') {
      const { result, durationMs } = outcome.value;
      logInfo('daily job', { job, outcome: 'done', durationMs, count: countOf(result) });
      return;
    }
    const failure = outcome.reason as JobFailure;
    logError('daily job', failure.cause, { job, outcome: 'failed', durationMs: failure.durationMs });
    failed.push(job);
  });
  log(failed.length > 0 ? 'error' : 'info', 'daily run', {
    jobs: jobs.length,
    failed: failed.length > 0 ? failed.join(', ') : undefined,
    durationMs: Math.round(performance.now() - started),
  });
  if (failed.length > 0) throw new Error(`daily cron failed: ${failed.join(', ')}`);
}

async function countThenAssign(db: Database, env: Bindings, now: Date): Promise<void> {
  await countAllDueCakes(db, now);
  await autoAssignAll(db, env, now);
}
