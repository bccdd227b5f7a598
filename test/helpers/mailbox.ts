/**
 * Calls the Worker with its real bindings, except that the mail queue records
 * what is enqueued before passing it on to the real queue. Lets a test read
 * the temporary password a user would get by mail.
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import worker from '../../src/index';
import type { OutgoingMail } from '../../src/mail';
import { BASE, freshIp, type CallOptions } from './api';

export async function callWithMailbox(
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<{ res: Response; mails: OutgoingMail[] }> {
  const mails: OutgoingMail[] = [];
  const queue = {
    async send(body: OutgoingMail, opts?: QueueSendOptions) {
      mails.push(body);
      return env.MAIL_QUEUE.send(body, opts);
    },
    async sendBatch(messages: Iterable<MessageSendRequest<OutgoingMail>>, opts?: QueueSendBatchOptions) {
      const list = [...messages];
      mails.push(...list.map((m) => m.body));
      return env.MAIL_QUEUE.sendBatch(list, opts);
    },
  } as unknown as Queue<OutgoingMail>;

  const headers = new Headers(options.headers);
  headers.set('CF-Connecting-IP', options.ip ?? freshIp());
  if (options.token) headers.set('Authorization', `Bearer ${options.token}`);
  if (options.body !== undefined) headers.set('Content-Type', 'application/json');
  const request = new Request(`${BASE}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const ctx = createExecutionContext();
  const res = await worker.fetch(request, { ...env, MAIL_QUEUE: queue } as never, ctx);
  await waitOnExecutionContext(ctx);
  return { res, mails };
}
