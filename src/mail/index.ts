/**
 * Outgoing mail goes through a queue: the request that causes a mail only
 * enqueues it (never slowed or failed by delivery), the consumer renders and
 * sends, and a failed send is retried by the queue (the consumer:
 * src/mail/consumer.ts).
 */
import type { Language } from '../db/schema';
import type { Bindings } from '../env';
import { logError } from '../lib/log';
import { type MailData, type MailTemplate, renderMail } from './templates';

export interface OutgoingMail<T extends MailTemplate = MailTemplate> {
  to: string;
  template: T;
  language: Language;
  data: MailData[T];
}

/** Queues take at most 100 messages per sendBatch (a mail is well under the 256 KB a batch may hold). */
const QUEUE_BATCH = 100;

/** Enqueues every mail, in as many batches as needed; throws when the queue refuses. */
export async function queueMail(env: Bindings, mails: readonly OutgoingMail[]): Promise<void> {
  for (let i = 0; i < mails.length; i += QUEUE_BATCH) {
    await env.MAIL_QUEUE.sendBatch(mails.slice(i, i + QUEUE_BATCH).map((body) => ({ body })));
  }
}

/** For request paths: a refused enqueue is logged and never fails the request that caused the mail. */
export async function enqueueMail(env: Bindings, ...mails: OutgoingMail[]): Promise<void> {
  try {
    await queueMail(env, mails);
  } catch (error) {
    logError('mail enqueue failed', error);
  }
}

export async function deliverMail(env: Bindings, mail: OutgoingMail): Promise<void> {
  const { subject, text, html } = renderMail(mail.template, mail.language, mail.data as never);
  await env.EMAIL.send({ from: env.MAIL_FROM, to: mail.to, subject, text, html });
}
