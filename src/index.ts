/**
 * The Worker's entry. Each handler loads its code on first use, so an
 * isolate's start-up (`wrangler check startup`) parses the bundle but builds
 * nothing: the HTTP surface (routes, schemas) is assembled by the first
 * request, the daily run and the mail consumer only where they run. A failed
 * load is not remembered; the next request tries again.
 */
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
    const { consumeMail } = await import('./mail/consumer');
    await consumeMail(batch as MessageBatch<OutgoingMail | NewAccountDigest>, env);
  },
  async scheduled(controller, env) {
    const { runDailyJobs } = await import('./jobs/daily');
    await runDailyJobs(controller.scheduledTime, env);
  },
} satisfies ExportedHandler<Bindings, OutgoingMail>;
