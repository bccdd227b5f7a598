/**
 * Calls the Worker with its real bindings, except that the mail queue records
 * what is enqueued before passing it on to the real queue. Lets a test read
 * the temporary password a user would get by mail.
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import worker from '../../src/index';
import type { OutgoingMail } from '../../src/mail';
import { apiRequest, type CallOptions, json } from './api';

/** A mail queue that records every mail enqueued, then hands it on to the real queue (unless `passOn` is false). */
export function recordingQueue(passOn = true): { queue: Queue<OutgoingMail>; mails: OutgoingMail[] } {
  const mails: OutgoingMail[] = [];
  const queue = {
    async send(body: OutgoingMail, opts?: QueueSendOptions) {
      mails.push(body);
      if (passOn) await env.MAIL_QUEUE.send(body, opts);
    },
    async sendBatch(messages: Iterable<MessageSendRequest<OutgoingMail>>, opts?: QueueSendBatchOptions) {
      const list = [...messages];
      mails.push(...list.map((m) => m.body));
      if (passOn) await env.MAIL_QUEUE.sendBatch(list, opts);
    },
  } as unknown as Queue<OutgoingMail>;
  return { queue, mails };
}

export async function callWithMailbox(
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<{ res: Response; mails: OutgoingMail[] }> {
  const { queue, mails } = recordingQueue();
  const ctx = createExecutionContext();
  const res = await worker.fetch(apiRequest(method, path, options), { ...env, MAIL_QUEUE: queue } as never, ctx);
  await waitOnExecutionContext(ctx);
  return { res, mails };
}

/** Asks for a temporary password (forgot-password) and reads it from the one mail that is sent. */
export async function temporaryPasswordOf(email: string): Promise<string> {
  const { res, mails } = await callWithMailbox('POST', '/api/auth/forgot-password', { body: { email } });
  await json(res, 200);
  expect(mails).toHaveLength(1);
  return (mails[0]!.data as { password: string }).password;
}
