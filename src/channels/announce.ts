/**
 * What goes through the channel queue, and the one call sources make. A
 * write announces after its commit by enqueueing a job: no D1 statement in
 * the request (the fan-out reads the group's channels in the consumer), so
 * a cake created in a group with 10 channels costs its request one queue
 * send and no round trip. A refused enqueue is logged and never fails the
 * request.
 */
import type { Bindings } from '../env';
import { logError } from '../lib/log';
import type { ChannelMessage } from './events';

/** A cake changed: the fan-out reads what it shows (for a deleted one, what the request knew). */
export interface CakeJob {
  kind: 'cake';
  type: 'cake.created' | 'cake.updated' | 'cake.deleted' | 'cake.rated';
  groupId: string;
  eventId: string;
  at: string;
  origin: string;
  /** For `cake.deleted`: the row is gone by then. */
  gone?: { date: string; bakerId: string | null };
}

/** A message complete as it is (assignments, hand-overs); `once`: a key it is sent under at most once. */
export interface MessageJob {
  kind: 'message';
  message: ChannelMessage;
  origin: string;
  once?: string;
}

/** The daily run's messages of one group (tomorrow's cake, open cake days, the weekly Hall of Fame). */
export interface DailyJob {
  kind: 'daily';
  groupId: string;
  at: string;
}

/** One attempt of one delivery (src/channels/delivery.ts). */
export interface DeliverJob {
  kind: 'deliver';
  deliveryId: string;
}

export type ChannelJob = CakeJob | MessageJob | DailyJob | DeliverJob;

export async function announceToChannels(env: Pick<Bindings, 'CHANNEL_QUEUE'>, job: CakeJob | MessageJob): Promise<void> {
  try {
    await env.CHANNEL_QUEUE.send(job);
  } catch (error) {
    logError('channel announcement failed', error);
  }
}
