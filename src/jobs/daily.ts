/**
 * The daily run (wrangler.toml `crons`): reminder mails, the sweeps, the
 * cake ledger's count of the cakes that came due, and the channels' daily
 * messages (one queue job per group: src/channels/daily.ts).
 * Awaited, not waitUntil: a failed run must be reported as failed. Each job
 * runs to its end whatever another does (a failing R2 must not cut the
 * reminders short); the run fails after all of them settled.
 */
import { sweepFailures } from '../auth/backoff';
import { sweepBudgets } from '../auth/budgets';
import { queueDailyChannelJobs } from '../channels/daily';
import { createDb } from '../db/client';
import type { Bindings } from '../env';
import { logError, logInfo } from '../lib/log';
import { sendReminders } from '../mail/reminders';
import { retryPhotoDeletions } from '../photos/deletion';
import { countAllDueCakes } from '../planning/ledger';

export async function runDailyJobs(scheduledTime: number, env: Bindings): Promise<void> {
  const db = createDb(env.DB);
  const jobs: [name: string, run: () => Promise<unknown>][] = [
    ['reminders', () => sendReminders(env, new Date(scheduledTime))],
    ['sign-in failure sweep', async () => sweepFailures(db, scheduledTime)],
    ['write budget sweep', async () => sweepBudgets(db, scheduledTime)],
    ['photo deletion retry', () => retryPhotoDeletions(db, env.PHOTOS)],
    ['cake ledger', () => countAllDueCakes(db, new Date(scheduledTime))],
    ['channel messages', () => queueDailyChannelJobs(env, db, scheduledTime)],
  ];
  const outcomes = await Promise.allSettled(jobs.map(([, run]) => run()));
  const failed: string[] = [];
  outcomes.forEach((outcome, i) => {
    const name = jobs[i]![0];
    if (outcome.status === 'fulfilled') {
      logInfo(`daily cron: ${name} done`);
      return;
    }
    logError(`daily cron: ${name} failed`, outcome.reason);
    failed.push(name);
  });
  if (failed.length > 0) throw new Error(`daily cron failed: ${failed.join(', ')}`);
}
