/**
 * The mail queue's consumer: renders and sends each mail; a closing
 * new-account window becomes ordinary mails first. A batch ends with one
 * log line: how many mails went out, how many digests were expanded, how
 * many will be retried and how many failed their last attempt (those go to
 * the dead-letter queue, wrangler.toml `dead_letter_queue`). A failure is
 * logged by the mail's template and the error's class, never its address.
 */
import wranglerConfig from '../../wrangler.toml';
import type { Bindings } from '../env';
import { log, logError } from '../lib/log';
import { deliverMail, type OutgoingMail, queueMail } from './index';
import { digestMails, isDigest, type NewAccountDigest } from './new-accounts';

/** The consumer's `max_retries` (wrangler.toml): a message is tried this many times more before it is dead-lettered. */
export const MAIL_MAX_RETRIES = Number(/^max_retries\s*=\s*(\d+)/m.exec(wranglerConfig)?.[1] ?? 3);

export async function consumeMail(batch: MessageBatch<OutgoingMail | NewAccountDigest>, env: Bindings): Promise<void> {
  const started = performance.now();
  const counts = { sent: 0, digests: 0, retried: 0, deadLettered: 0 };
  for (const message of batch.messages) {
    const body = message.body;
    const kind = isDigest(body) ? body.kind : body.template;
    try {
      // A closing new-account window becomes ordinary mails, each retried on its own.
      if (isDigest(body)) {
        await queueMail(env, await digestMails(env, body));
        counts.digests++;
      } else {
        await deliverMail(env, body);
        counts.sent++;
      }
      message.ack();
    } catch (error) {
      const last = message.attempts > MAIL_MAX_RETRIES;
      logError(last ? 'mail failed its last attempt; dead-lettered' : 'mail delivery failed; will retry', error, {
        queue: batch.queue,
        kind,
        attempts: message.attempts,
      });
      if (last) counts.deadLettered++;
      else counts.retried++;
      message.retry({ delaySeconds: Math.min(60 * 2 ** message.attempts, 3600) });
    }
  }
  log(counts.retried + counts.deadLettered > 0 ? 'warn' : 'info', 'mail batch', {
    queue: batch.queue,
    messages: batch.messages.length,
    ...counts,
    durationMs: Math.round(performance.now() - started),
  });
}
