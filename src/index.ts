import { createApp } from './app';
import { sweepFailures } from './auth/backoff';
import { sweepBudgets } from './auth/budgets';
import { createDb } from './db/client';
import type { Bindings } from './env';
import { consumeMail, type OutgoingMail } from './mail';
import { sendReminders } from './mail/reminders';

export { GroupHub } from './live/group-hub';

const app = createApp();

export default {
  fetch: app.fetch,
  async queue(batch, env, _ctx) {
    await consumeMail(batch as MessageBatch<OutgoingMail>, env);
  },
  // Awaited, not waitUntil: a failed run must be reported as failed.
  async scheduled(controller, env) {
    await Promise.all([
      sendReminders(env, new Date(controller.scheduledTime)),
      sweepFailures(createDb(env.DB), controller.scheduledTime),
      sweepBudgets(createDb(env.DB), controller.scheduledTime),
    ]);
  },
} satisfies ExportedHandler<Bindings, OutgoingMail>;
