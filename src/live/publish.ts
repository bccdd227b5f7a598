/**
 * The one seam through which writes announce themselves to live clients.
 * Called after the D1 write has committed; never fails the request.
 */
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
  | { type: 'HANDOVER_TAKEN'; groupId: string; eventId: string; handoverId: string; date: string; takenBy: string };

export async function publish(env: Bindings, message: LiveMessage): Promise<void> {
  try {
    await env.GROUP_HUB.getByName(message.groupId).publish(message);
  } catch (error) {
    logError('live publish failed', error);
  }
}

/** EVENT_DELETED for each of several events (the upcoming events an account erasure took with it). */
export async function publishDeletions(env: Bindings, events: readonly { id: string; groupId: string }[]): Promise<void> {
  await Promise.all(events.map((e) => publish(env, { type: 'EVENT_DELETED', groupId: e.groupId, eventId: e.id })));
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
