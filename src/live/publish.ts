/**
 * The one seam through which writes announce themselves to live clients
 * and, where the write is news for a group's channels (Slack, Teams,
 * Discord, webhooks), to the channel queue as well. Called after the D1
 * write has committed; never fails the request.
 */

import { announceToChannels, type CakeJob, type MessageJob } from '../channels/announce';
import type { AssignmentStatus } from '../db/schema';
import type { Bindings } from '../env';
import { logError } from '../lib/log';

export type LiveMessage =
  | { type: 'NEW_EVENT'; groupId: string; eventId: string; bakerName: string; date: string }
  | { type: 'EVENT_DELETED'; groupId: string; eventId: string }
  /** The date, the baker or the description changed. */
  | { type: 'EVENT_UPDATED'; groupId: string; eventId: string; date: string; bakerName: string; description: string }
  | { type: 'EVENT_RATED'; groupId: string; eventId: string; average: number; count: number }
  | { type: 'PHOTO_ADDED'; groupId: string; eventId: string; userName: string }
  | {
      type: 'ASSIGNMENT_CHANGED';
      groupId: string;
      date: string;
      assignmentId: string;
      status: AssignmentStatus;
      userId: string;
      userName: string;
      /** The cake an accept created. */
      eventId?: string;
    }
  /** A baker offers an upcoming cake to the group. */
  | { type: 'HANDOVER_OFFERED'; groupId: string; eventId: string; handoverId: string; date: string; offeredBy: string }
  /** A member took an offer: they bake it now (an EVENT_UPDATED follows). */
  | {
      type: 'HANDOVER_TAKEN';
      groupId: string;
      eventId: string;
      handoverId: string;
      date: string;
      takenBy: string;
      offeredBy: string;
    };

/** The channel event type of a live message about a cake (the fan-out reads the cake). */
const CAKE_TYPES: Partial<Record<LiveMessage['type'], CakeJob['type']>> = {
  NEW_EVENT: 'cake.created',
  EVENT_UPDATED: 'cake.updated',
  EVENT_DELETED: 'cake.deleted',
  EVENT_RATED: 'cake.rated',
};

/** What channels need beyond the live message: the API's origin (for links), and what a deleted cake was. */
export interface ChannelNews {
  origin: string;
  gone?: CakeJob['gone'];
}

/** What a group's channels hear of a live message, if anything: a cake to read, or a message complete as it is. */
function channelJob(message: LiveMessage, news: ChannelNews): CakeJob | MessageJob | undefined {
  const at = new Date().toISOString();
  const { groupId } = message;
  const cakeType = CAKE_TYPES[message.type];
  if (cakeType && 'eventId' in message && message.eventId !== undefined) {
    return { kind: 'cake', type: cakeType, groupId, eventId: message.eventId, at, origin: news.origin, gone: news.gone };
  }
  const complete = (m: MessageJob['message']): MessageJob => ({ kind: 'message', message: m, origin: news.origin });
  switch (message.type) {
    case 'ASSIGNMENT_CHANGED':
      return complete({
        type: 'assignment.changed',
        groupId,
        at,
        assignment: { id: message.assignmentId, date: message.date, userName: message.userName, status: message.status },
      });
    case 'HANDOVER_OFFERED':
    case 'HANDOVER_TAKEN':
      return complete({
        type: message.type === 'HANDOVER_OFFERED' ? 'handover.offered' : 'handover.taken',
        groupId,
        at,
        handover: {
          id: message.handoverId,
          eventId: message.eventId,
          date: message.date,
          offeredBy: message.offeredBy,
          takenBy: message.type === 'HANDOVER_TAKEN' ? message.takenBy : null,
        },
      });
    default:
      return undefined;
  }
}

/**
 * Tells the group's live streams, and with `news` its channels too (a write
 * that is news for a team chat passes it; one that repeats news told
 * otherwise, such as the cake a hand-over changed, does not).
 */
export async function publish(env: Bindings, message: LiveMessage, news?: ChannelNews): Promise<void> {
  const job = news && channelJob(message, news);
  await Promise.all([
    env.GROUP_HUB.getByName(message.groupId)
      .publish(message)
      .catch((error: unknown) => logError('live publish failed', error)),
    job ? announceToChannels(env, job) : undefined,
  ]);
}

/**
 * EVENT_DELETED for each of several events (the upcoming events an account
 * erasure took with it); their channels are told too, without the erased
 * baker's name.
 */
export async function publishDeletions(
  env: Bindings,
  events: readonly { id: string; groupId: string; date: string }[],
  origin: string,
): Promise<void> {
  await Promise.all(
    events.map((e) =>
      publish(
        env,
        { type: 'EVENT_DELETED', groupId: e.groupId, eventId: e.id },
        { origin, gone: { date: e.date, bakerId: null } },
      ),
    ),
  );
}

/**
 * After a group's deletion committed: its streams drop it (and carry on with
 * their other groups) and its stored history goes. Never fails the request.
 */
export async function dissolveGroup(env: Bindings, groupId: string): Promise<void> {
  try {
    await env.GROUP_HUB.getByName(groupId).dissolve();
  } catch (error) {
    logError('live hub dissolution failed', error);
  }
}
