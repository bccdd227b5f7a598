import { createApp } from './app';
import { sweepFailures } from './auth/backoff';
import { sweepBudgets } from './auth/budgets';
import { createDb } from './db/client';
import { retryPhotoDeletions } from './photos/deletion';
import type { Bindings } from './env';
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
  // Awaited, not waitUntil: a failed run must be reported as failed.
  async scheduled(controller, env) {
    const db = createDb(env.DB);
    await Promise.all([
      sendReminders(env, new Date(controller.scheduledTime)),
      sweepFailures(db, controller.scheduledTime),
      sweepBudgets(db, controller.scheduledTime),
      retryPhotoDeletions(db, env.PHOTOS),
    ]);
  },
} satisfies ExportedHandler<Bindings, OutgoingMail>;
