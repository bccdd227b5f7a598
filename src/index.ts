/**
 * The Worker's entry. Each handler imports its code on first use, and the
 * build (scripts/build-worker.mjs) makes each such `import()` a module of
 * its own, compiled only when imported: an isolate's start-up compiles this
 * file and the GroupHub class, a group's hub never compiles the HTTP
 * surface, the first request compiles and assembles the routes and their
 * schemas, and the daily run and the queue consumers (mail, channels)
 * compile only their own code. A failed load is not remembered; the next
 * request tries again.
 */
import type { ChannelJob } from './channels/announce';
import type { Bindings } from './env';
import type { OutgoingMail } from './mail';
import type { NewAccountDigest } from './mail/new-accounts';

export { GroupHub } from './live/group-hub';

type Http = { fetch: (request: Request, env: Bindings, ctx: ExecutionContext) => Response | Promise<Response> };
let http: Promise<Http> | undefined;

function loadHttp(): Promise<Http> {
  http ??= import('./app').then(
    ({ createApp }) => createApp(),
    (error: unknown) => {
      http = undefined;
      throw error;
    },
  );
  return http;
}

export default {
  async fetch(request: Request, env: Bindings, ctx: ExecutionContext) {
    return (await loadHttp()).fetch(request, env, ctx);
  },
  async queue(batch, env, _ctx) {
    const { isDeadLetterQueue, recordDeadLetters } = await import('./mail/dead-letters');
    if (isDeadLetterQueue(batch.queue)) return recordDeadLetters(batch, env);
    // One consumer per queue, told apart by the queue's name (a dead-letter queue has none here).
    if (batch.queue.startsWith('cake-planner-channels')) {
      const { consumeChannelJobs } = await import('./channels/consumer');
      await consumeChannelJobs(batch as MessageBatch<ChannelJob>, env);
      return;
    }
    const { consumeMail } = await import('./mail/consumer');
    await consumeMail(batch as MessageBatch<OutgoingMail | NewAccountDigest>, env);
  },
  async scheduled(controller, env) {
    const { runDailyJobs } = await import('./jobs/daily');
    await runDailyJobs(controller.scheduledTime, env);
  },
} satisfies ExportedHandler<Bindings, OutgoingMail | ChannelJob>;
