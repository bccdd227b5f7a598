import { createApp } from './app';
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
  async scheduled(controller, env, ctx) {
    ctx.waitUntil(sendReminders(env, new Date(controller.scheduledTime)));
  },
} satisfies ExportedHandler<Bindings, OutgoingMail>;
