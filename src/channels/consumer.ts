/** The channel queue's consumer: fans announced messages out to deliveries and makes each delivery's attempts. */
import { createDb } from '../db/client';
import type { Bindings } from '../env';
import { logError } from '../lib/log';
import type { ChannelJob } from './announce';
import { runDailyJob } from './daily';
import { attemptDelivery } from './delivery';
import { fanOut, fanOutCake } from './fan-out';

const FAN_OUT_RETRY_SECONDS = 30;

export async function consumeChannelJobs(batch: MessageBatch<ChannelJob>, env: Bindings): Promise<void> {
  const db = createDb(env.DB);
  for (const message of batch.messages) {
    const job = message.body;
    try {
      if (job.kind === 'deliver') {
        const outcome = await attemptDelivery(env, db, job.deliveryId, message.attempts);
        if (outcome.ack) message.ack();
        else if ('deadLetter' in outcome) message.retry();
        else message.retry({ delaySeconds: outcome.delaySeconds });
        continue;
      }
      if (job.kind === 'cake') await fanOutCake(env, db, job, message.id);
      else if (job.kind === 'message')
        await fanOut(env, db, job.message, job.origin, message.id, job.once ? { key: job.once } : undefined);
      else await runDailyJob(env, db, job, message.id);
      message.ack();
    } catch (error) {
      // Never the job itself in the log: a delivery's body or a channel's URL may be in what failed.
      logError(`channel job (${job.kind}) failed; will retry`, error);
      message.retry({ delaySeconds: FAN_OUT_RETRY_SECONDS });
    }
  }
}
