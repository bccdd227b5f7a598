/** The mail queue's consumer: renders and sends each mail; a closing new-account window becomes ordinary mails first. */
import type { Bindings } from '../env';
import { logError } from '../lib/log';
import { deliverMail, type OutgoingMail, queueMail } from './index';
import { digestMails, isDigest, type NewAccountDigest } from './new-accounts';

export async function consumeMail(batch: MessageBatch<OutgoingMail | NewAccountDigest>, env: Bindings): Promise<void> {
  for (const message of batch.messages) {
    try {
      const body = message.body;
      // A closing new-account window becomes ordinary mails, each retried on its own.
      if (isDigest(body)) await queueMail(env, await digestMails(env, body));
      else await deliverMail(env, body);
      message.ack();
    } catch (error) {
      logError('mail delivery failed; will retry', error);
      message.retry({ delaySeconds: Math.min(60 * 2 ** message.attempts, 3600) });
    }
  }
}
