/**
 * What an assignment's change tells whom: the assignee a mail in their
 * language (asked, with the two answer links; reminded; withdrawn), the
 * group's live stream an ASSIGNMENT_CHANGED. Built here, sent after the
 * write committed by the caller (a request's afterResponse, the daily run).
 */
import type { Database } from '../db/client';
import type { Bindings } from '../env';
import { newEventMails } from '../events/creation';
import { isUpcoming } from '../lib/time';
import { type LiveMessage, publish } from '../live/publish';
import { enqueueMail, type OutgoingMail } from '../mail';
import { answerLinks } from './answer-links';
import type { acceptAssignment, declineAssignment } from './answers';
import type { AssignmentAction } from './assignments';
import { countGroupCakes } from './ledger';

type Assigned = Pick<AssignmentAction, 'id' | 'groupName' | 'date' | 'userName' | 'email' | 'emailLanguage'>;

/**
 * The origin of links made without a request (the daily run): PUBLIC_URL,
 * else a local default. A request's own links use `publicUrl(c)`.
 */
export const linkOrigin = (env: Bindings) => (env.PUBLIC_URL || 'http://localhost:8787').replace(/\/+$/, '');

export async function assignedMail(
  env: Bindings,
  origin: string,
  a: Assigned,
  template: 'assignment' | 'assignment_reminder' = 'assignment',
): Promise<OutgoingMail> {
  const links = await answerLinks(env.JWT_SECRET, origin, a.id);
  return {
    to: a.email,
    template,
    language: a.emailLanguage,
    data: { name: a.userName, groupName: a.groupName, date: a.date, ...links },
  };
}

export const withdrawnMail = (a: Assigned): OutgoingMail<'assignment_withdrawn'> => ({
  to: a.email,
  template: 'assignment_withdrawn',
  language: a.emailLanguage,
  data: { name: a.userName, groupName: a.groupName, date: a.date },
});

export const assignmentChanged = (
  a: Pick<AssignmentAction, 'id' | 'groupId' | 'date' | 'status' | 'userId' | 'userName'>,
  eventId?: string,
): LiveMessage => ({
  type: 'ASSIGNMENT_CHANGED',
  groupId: a.groupId,
  date: a.date,
  assignmentId: a.id,
  status: a.status,
  userId: a.userId,
  userName: a.userName,
  ...(eventId ? { eventId } : {}),
});

/**
 * After an accept committed: what POST /api/events tells (NEW_EVENT, the
 * members' mails, the ledger's count of a cake come due) and the
 * assignment's own ASSIGNMENT_CHANGED. Never fails: each part logs its own failure.
 */
export function announceAcceptance(
  env: Bindings,
  db: Database,
  origin: string,
  { event, recipients, assignment }: NonNullable<Awaited<ReturnType<typeof acceptAssignment>>>,
): Promise<unknown> {
  const news = { origin };
  return Promise.all([
    publish(
      env,
      { type: 'NEW_EVENT', groupId: event.groupId, eventId: event.id, bakerName: event.bakerName, date: event.date },
      news,
    ),
    publish(env, assignmentChanged(assignment, event.id), news),
    enqueueMail(env, ...newEventMails({ name: event.bakerName }, event, recipients)),
    isUpcoming(event.date, event.timeZone) ? Promise.resolve() : countGroupCakes(db, event.groupId),
  ]);
}

/** After a decline committed: the group's live message and channels, and the next assignee's mail and messages when it was passed on. */
export async function announceDecline(
  env: Bindings,
  origin: string,
  { assignment, passedTo }: NonNullable<Awaited<ReturnType<typeof declineAssignment>>>,
): Promise<void> {
  await Promise.all([
    publish(env, assignmentChanged(assignment), { origin }),
    passedTo ? announceAssigned(env, origin, passedTo) : undefined,
  ]);
}

/** After an assignment was made: the assignee's mail and the group's live message and channels. */
export async function announceAssigned(env: Bindings, origin: string, a: AssignmentAction): Promise<void> {
  await Promise.all([enqueueMail(env, await assignedMail(env, origin, a)), publish(env, assignmentChanged(a), { origin })]);
}
