/**
 * Outgoing mail goes through a queue: the request that causes a mail only
 * enqueues it (never slowed or failed by delivery), the consumer renders and
 * sends, and a failed send is retried by the queue.
 */
import type { Language } from '../db/schema';
import type { Bindings } from '../env';
import { renderMail, type MailData, type MailTemplate } from './templates';

export interface OutgoingMail<T extends MailTemplate = MailTemplate> {
  to: string;
  template: T;
  language: Language;
  data: MailData[T];
}

export async function enqueueMail(env: Bindings, ...mails: OutgoingMail[]): Promise<void> {
  if (mails.length === 0) return;
  try {
    await env.MAIL_QUEUE.sendBatch(mails.map((body) => ({ body })));
  } catch (error) {
    console.error('mail enqueue failed', error);
  }
}

export async function deliverMail(env: Bindings, mail: OutgoingMail): Promise<void> {
  const { subject, text, html } = renderMail(mail.template, mail.language, mail.data as never);
  await env.EMAIL.send({ from: env.MAIL_FROM, to: mail.to, subject, text, html });
}

export async function consumeMail(batch: MessageBatch<OutgoingMail>, env: Bindings): Promise<void> {
  for (const message of batch.messages) {
    try {
      await deliverMail(env, message.body);
      message.ack();
    } catch (error) {
      console.error('mail delivery failed; will retry', error);
      message.retry({ delaySeconds: Math.min(60 * 2 ** message.attempts, 3600) });
    }
  }
}
