/**
 * What a channel hears about: the event types of the contract and the facts
 * each carries. A source (a write after its commit, the daily run) announces
 * one of these to the channel queue; the fan-out (src/channels/fan-out.ts)
 * renders it once per channel that listens.
 */

export const CHANNEL_EVENTS = [
  'cake.created',
  'cake.tomorrow',
  'cake.updated',
  'cake.deleted',
  'cake.rated',
  'cake_day.open',
  'assignment.changed',
  'handover.offered',
  'handover.taken',
  'hall_of_fame.weekly',
] as const;
export type ChannelEventType = (typeof CHANNEL_EVENTS)[number];

/** A cake as messages show it. `bakerName` null: the baker's account is gone. */
export interface CakeFacts {
  eventId: string;
  date: string;
  bakerName: string | null;
  description: string;
}

export interface RankedCake extends CakeFacts {
  average: number;
  count: number;
}

/** The fully known message, ready to render. `at` is when it happened (ISO 8601). */
export type ChannelMessage = { groupId: string; at: string } & (
  | { type: 'cake.created' | 'cake.tomorrow' | 'cake.updated' | 'cake.deleted'; cake: CakeFacts }
  | { type: 'cake.rated'; cake: CakeFacts; rating: { average: number; count: number } }
  | { type: 'cake_day.open'; date: string }
  | {
      type: 'assignment.changed';
      assignment: { id: string; date: string; userName: string; status: 'pending' | 'accepted' | 'declined' | 'withdrawn' };
    }
  | {
      type: 'handover.offered' | 'handover.taken';
      handover: { id: string; eventId: string; date: string; offeredBy: string; takenBy: string | null };
    }
  | { type: 'hall_of_fame.weekly'; week: string; cakes: RankedCake[] }
  | { type: 'channel.test' }
);
