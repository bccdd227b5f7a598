/**
 * The writes of assignments: assign, accept, decline, withdraw. Each is a
 * conditional statement, so racing requests end with exactly one outcome:
 * an answer updates the row only while it is still pending (and the
 * caller reads back what it became), an assignment is inserted only where
 * the unique indexes let it (one open assignment per group and date,
 * nobody the same date twice) and only for an active member on a date no
 * cake covers.
 */
import { and, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { assignments } from '../db/schema';
import { type EventDraft, newEventStatements, type Recipient } from '../events/creation';
import { localDate } from '../lib/time';
import { type AssignmentAction, assignmentActionQuery } from './assignments';
import { type CandidateRow, candidatesInOrder, candidatesQuery } from './candidates';

const now = () => new Date().toISOString();

/** The assignee may take it: an active member of the group, and no cake on that date. */
const assignable = (groupId: string, userId: string, date: string) => sql`exists (select 1 from memberships m
    join users u on u.id = m.user_id where m.group_id = ${groupId} and m.user_id = ${userId} and u.is_active)
  and not exists (select 1 from events e where e.group_id = ${groupId} and e.date = ${date})`;

export interface NewAssignment {
  id: string;
  groupId: string;
  userId: string;
  date: string;
}

/**
 * Inserts the assignment where its conditions hold (and `onlyIf`, when
 * given), and reads it back: no row read back means it was refused.
 */
export function assignStatements(db: Database, a: NewAssignment, onlyIf?: SQL) {
  const condition = onlyIf
    ? sql`${assignable(a.groupId, a.userId, a.date)} and ${onlyIf}`
    : assignable(a.groupId, a.userId, a.date);
  return [
    // Columns in the table's order; the WHERE makes the parser take ON CONFLICT as the upsert clause.
    db
      .insert(assignments)
      .select(
        sql`select ${a.id}, ${a.groupId}, ${a.userId}, ${a.date}, 'pending', null, null, ${now()}, null, null, null where ${condition}`,
      )
      .onConflictDoNothing(),
    assignmentActionQuery(db, a.id),
  ] as const;
}

const stillPending = (id: string) => and(eq(assignments.id, id), eq(assignments.status, 'pending'));

/**
 * Accepting: the cake is inserted only while the assignment is pending and
 * its assignee an active member of the group (the rule of POST /api/events), and
 * the assignment turns accepted only if that cake exists; of two accepts,
 * or an accept and a withdraw, the first to run wins and the other finds
 * it answered. The statements of the new event are those of POST /api/events.
 */
function acceptStatements(db: Database, assignmentId: string, draft: EventDraft) {
  const pending = sql`exists (select 1 from assignments p where p.id = ${assignmentId} and p.status = 'pending')
    and exists (select 1 from memberships m join users u on u.id = m.user_id
      where m.group_id = ${draft.groupId} and m.user_id = ${draft.bakerId} and u.is_active)`;
  return [
    ...newEventStatements(db, draft, pending),
    db
      .update(assignments)
      .set({ status: 'accepted', answeredAt: now(), eventId: draft.id })
      .where(and(stillPending(assignmentId), sql`exists (select 1 from events n where n.id = ${draft.id})`)),
    assignmentActionQuery(db, assignmentId),
  ] as const;
}

/** Declining (or withdrawing): only a pending assignment; returns the row when this statement answered it. */
export const answerStatement = (db: Database, id: string, status: 'declined' | 'withdrawn', reason: string | null) =>
  db.update(assignments).set({ status, reason, answeredAt: now() }).where(stillPending(id)).returning({ id: assignments.id });

/** Only once `id` was declined: the condition that passes the date on to the next member. */
const wasDeclined = (id: string) => sql`exists (select 1 from assignments d where d.id = ${id} and d.status = 'declined')`;

/**
 * What declining reads, in the session check's trip: the assignment, and
 * the candidates for its group and date (found through the assignment's
 * row, as only its id is known before).
 */
export function declineQueries(db: Database, id: string, today: string) {
  const ofIt = (column: 'group_id' | 'date') => sql`(select s.${sql.raw(column)} from assignments s where s.id = ${id})`;
  return [assignmentActionQuery(db, id), candidatesQuery(db, ofIt('group_id'), ofIt('date'), today)] as const;
}

/**
 * Declines `a` with the reason; when the group has autoAssign and the date
 * has not passed, the first candidate who has not had the date is asked in
 * the same batch, only if this decline won. Null when it was answered
 * before this batch ran.
 */
export async function declineAssignment(db: Database, a: AssignmentAction, members: CandidateRow[], reason: string | null) {
  const next = a.autoAssign && a.date >= localDate(a.timeZone) ? candidatesInOrder(members, new Set([a.userId]))[0] : undefined;
  const passOn = next
    ? assignStatements(db, { id: crypto.randomUUID(), groupId: a.groupId, userId: next.userId, date: a.date }, wasDeclined(a.id))
    : [];
  const [done, [after], ...rest] = await db.batch([
    answerStatement(db, a.id, 'declined', reason),
    assignmentActionQuery(db, a.id),
    ...passOn,
  ] as const);
  if (done.length === 0 || after?.status !== 'declined') return null;
  return { assignment: after, passedTo: (rest[1] as AssignmentAction[] | undefined)?.[0] };
}

/**
 * An absence declines the member's pending assignments on its days (in its
 * group, or every group), once the absence `absenceId` was recorded.
 */
export function declineForAbsence(
  db: Database,
  {
    userId,
    from,
    to,
    groupId,
    absenceId,
  }: { userId: string; from: string; to: string; groupId: string | null; absenceId: string },
) {
  return db
    .update(assignments)
    .set({ status: 'declined', reason: 'Away that day.', answeredAt: now() })
    .where(
      and(
        eq(assignments.userId, userId),
        sql`${assignments.status} in ('pending', 'accepted')`,
        eq(assignments.status, 'pending'),
        sql`${assignments.date} between ${from} and ${to}`,
        groupId === null ? undefined : eq(assignments.groupId, groupId),
        sql`exists (select 1 from absences n where n.id = ${absenceId})`,
      ),
    )
    .returning({ id: assignments.id, groupId: assignments.groupId, date: assignments.date });
}

/** Withdraws the given pending assignments (the dates a schedule change made no cake days). */
export const withdrawStatement = (db: Database, ids: string[], reason: string) =>
  db
    .update(assignments)
    .set({ status: 'withdrawn', reason, answeredAt: now() })
    .where(and(inArray(assignments.id, ids), eq(assignments.status, 'pending')))
    .returning({ id: assignments.id });

/**
 * Accepts `a` for its assignee with the cake's description and dietary fields: one batch. The
 * new event's row, the members to tell and the assignment as it became,
 * or null when the assignment was answered (or the assignee left the
 * group) before this batch ran.
 */
export async function acceptAssignment(
  db: Database,
  a: { id: string; groupId: string; userId: string; date: string },
  cake: { description: string; allergens: number | null; suitableFor: number },
) {
  const draft = {
    id: crypto.randomUUID(),
    groupId: a.groupId,
    bakerId: a.userId,
    date: a.date,
    coverPhotoKey: null,
    ...cake,
  };
  const [, events, recipients, , [after]] = await db.batch(acceptStatements(db, a.id, draft));
  if (!events[0] || after?.status !== 'accepted') return null;
  return { event: events[0], recipients: recipients as Recipient[], assignment: after };
}
