import { createApp } from './app';
import { sweepFailures } from './auth/backoff';
import { sweepBudgets } from './auth/budgets';
import { createDb } from './db/client';
import { retryPhotoDeletions } from './photos/deletion';
import type { Bindings } from './env';
import { logError, logInfo } from './lib/log';
import type { OutgoingMail } from './mail';
import { consumeMail } from './mail/consumer';
import type { NewAccountDigest } from './mail/new-accounts';
import { sendReminders } from './mail/reminders';

export { GroupHub } from './live/group-hub';

const app = createApp();

export default {
  fetch: app.fetch,
  async queue(batch, env, _ctx) {
    await consumeMail(batch as MessageBatch<OutgoingMail | NewAccountDigest>, env);
  },
  // Awaited, not waitUntil: a failed run must be reported as failed. Each job
  // runs to its end whatever another does (a failing R2 must not cut the
  // reminders short); the run fails after all of them settled.
  async scheduled(controller, env) {
    const db = createDb(env.DB);
    const jobs: [name: string, run: () => Promise<unknown>][] = [
      ['reminders', () => sendReminders(env, new Date(controller.scheduledTime))],
      ['sign-in failure sweep', async () => sweepFailures(db, controller.scheduledTime)],
      ['write budget sweep', async () => sweepBudgets(db, controller.scheduledTime)],
      ['photo deletion retry', () => retryPhotoDeletions(db, env.PHOTOS)],
    ];
    const outcomes = await Promise.allSettled(jobs.map(([, run]) => run()));
    const failed: string[] = [];
    outcomes.forEach((outcome, i) => {
      const name = jobs[i]![0];
      if (outcome.status === 'fulfilled') return logInfo(`daily cron: ${name} done`);
      logError(`daily cron: ${name} failed`, outcome.reason);
      failed.push(name);
    });
    if (failed.length > 0) throw new Error(`daily cron failed: ${failed.join(', ')}`);
  },
} satisfies ExportedHandler<Bindings, OutgoingMail>;
