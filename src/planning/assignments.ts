/**
 * Assignments: a member asked to bake on a cake day. What the API shows of
 * one, and the statements that read them. Choosing whom to ask is
 * ./candidates.ts; answering (accept, decline, withdraw) is ./answers.ts.
 *
 * The rules that must hold when requests race are the table's unique
 * indexes (src/db/schema.ts): one pending or accepted assignment per group
 * and date, and nobody assigned the same date twice.
 */
import { z } from '@hono/zod-openapi';
import { and, asc, between, desc, eq, gte, inArray, isNull, lte, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { ASSIGNMENT_STATUSES, assignments, groups, users } from '../db/schema';
import { Timestamp } from '../lib/openapi';

export const AssignmentSchema = z
  .object({
    id: z.string(),
    groupId: z.string(),
    groupName: z.string(),
    date: z.string().openapi({ format: 'date' }),
    userId: z.string(),
    userName: z.string(),
    status: z.enum(ASSIGNMENT_STATUSES),
    createdAt: Timestamp,
    answeredAt: Timestamp.nullable(),
    reason: z.string().nullable().openapi({ description: 'Why it was declined or withdrawn, when someone said' }),
  })
  .openapi('Assignment');

export type Assignment = z.infer<typeof AssignmentSchema>;

/** Pending or accepted: the assignment holds its cake day. Matches the partial indexes' condition verbatim, so SQLite may use them. */
const isOpen = sql`${assignments.status} in ('pending', 'accepted')`;

/** How far back GET /api/user/assignments lists answered ones, and how many of each kind at most. */
export const RECENT_DAYS = 90;
export const MAX_LISTED = 200;

// Aliased: D1 returns rows as arrays and drops columns of equal names ("name").
const view = {
  id: assignments.id,
  groupId: assignments.groupId,
  groupName: sql<string>`${groups.name}`.as('group_name'),
  date: assignments.date,
  userId: assignments.userId,
  userName: sql<string>`${users.name}`.as('user_name'),
  status: assignments.status,
  createdAt: assignments.createdAt,
  answeredAt: assignments.answeredAt,
  reason: assignments.reason,
};

function viewQuery(db: Database, where: SQL | undefined) {
  return db
    .select(view)
    .from(assignments)
    .innerJoin(groups, eq(groups.id, assignments.groupId))
    .innerJoin(users, eq(users.id, assignments.userId))
    .where(where);
}

export type AssignmentRow = Awaited<ReturnType<typeof viewQuery>>[number];

export const toAssignment = (row: AssignmentRow): Assignment => ({
  id: row.id,
  groupId: row.groupId,
  groupName: row.groupName,
  date: row.date,
  userId: row.userId,
  userName: row.userName,
  status: row.status,
  createdAt: row.createdAt,
  answeredAt: row.answeredAt,
  reason: row.reason,
});

/**
 * Assignments with what acting on them needs: the group's time zone and
 * schedule switch, and the assignee's mail address and language (never shown).
 */
function actionQuery(db: Database, where: SQL | undefined) {
  return db
    .select({
      ...view,
      timeZone: groups.timeZone,
      email: users.email,
      emailLanguage: users.emailLanguage,
      autoAssign: sql<number>`coalesce((select s.auto_assign from schedules s where s.group_id = ${assignments.groupId}), 0)`,
    })
    .from(assignments)
    .innerJoin(groups, eq(groups.id, assignments.groupId))
    .innerJoin(users, eq(users.id, assignments.userId))
    .where(where);
}

export const assignmentActionQuery = (db: Database, id: string) => actionQuery(db, eq(assignments.id, id)).limit(1);

/** Several by id (at most MAX_WITHDRAWN_AT_ONCE: the ids are bound parameters). */
export const assignmentActionsQuery = (db: Database, ids: string[]) => actionQuery(db, inArray(assignments.id, ids));

export type AssignmentAction = Awaited<ReturnType<typeof assignmentActionQuery>>[number];

/** The group's pending and accepted assignments in [from, to], off the open-date index. */
export function openAssignmentsInRangeQuery(db: Database, groupId: string, from: string, to: string) {
  return viewQuery(db, and(eq(assignments.groupId, groupId), between(assignments.date, from, to), isOpen)).orderBy(
    asc(assignments.date),
  );
}

/**
 * The user's assignments: the pending ones (from `today` on) and every one
 * created since `since`, each bounded; merged by `ownAssignments`.
 */
export function ownAssignmentsQueries(db: Database, userId: string, today: string, since: string) {
  return [
    viewQuery(db, and(eq(assignments.userId, userId), isOpen, eq(assignments.status, 'pending'), gte(assignments.date, today)))
      .orderBy(asc(assignments.date))
      .limit(MAX_LISTED),
    viewQuery(db, and(eq(assignments.userId, userId), gte(assignments.createdAt, since)))
      .orderBy(desc(assignments.createdAt))
      .limit(MAX_LISTED),
  ] as const;
}

/** Pending first (soonest date first), then the rest, newest first; each once. */
export function ownAssignments(pending: readonly AssignmentRow[], recent: readonly AssignmentRow[]): Assignment[] {
  const seen = new Set(pending.map((a) => a.id));
  return [...pending, ...recent.filter((a) => !seen.has(a.id))].map(toAssignment);
}

/** A schedule change withdraws at most this many pending assignments at once (their ids are bound parameters). */
const MAX_WITHDRAWN_AT_ONCE = 90;

/** The group's pending assignments from `from` on, soonest first (a schedule change checks which are still on cake days). */
export function pendingFromQuery(db: Database, groupId: string, from: string) {
  return db
    .select({ id: assignments.id, date: assignments.date })
    .from(assignments)
    .where(and(eq(assignments.groupId, groupId), gte(assignments.date, from), isOpen, eq(assignments.status, 'pending')))
    .orderBy(asc(assignments.date))
    .limit(MAX_WITHDRAWN_AT_ONCE);
}

/** Pending assignments created before `before` and not reminded yet, oldest first, off their partial index. */
export const unremindedQuery = (db: Database, before: string, limit: number) =>
  actionQuery(db, and(eq(assignments.status, 'pending'), isNull(assignments.remindedAt), lte(assignments.createdAt, before)))
    .orderBy(asc(assignments.createdAt))
    .limit(limit);

/** Pending assignments on these dates whose day-before reminder has not gone out. */
export const pendingOnDatesQuery = (db: Database, dates: string[]) =>
  actionQuery(db, and(eq(assignments.status, 'pending'), inArray(assignments.date, dates), isNull(assignments.eveRemindedAt)));

/**
 * The calendar feed's part: its owner's pending assignments in the feed's
 * window, found by the feed token's hash (an accepted one shows as its cake).
 */
export const feedAssignmentsQuery = (db: Database, tokenHash: string, from: string, to: string) =>
  db
    .select({
      id: assignments.id,
      date: assignments.date,
      createdAt: assignments.createdAt,
      groupName: sql<string>`${groups.name}`.as('group_name'),
      bakerName: sql<string>`${users.name}`.as('user_name'),
    })
    .from(users)
    .innerJoin(assignments, eq(assignments.userId, users.id))
    .innerJoin(groups, eq(groups.id, assignments.groupId))
    .where(
      and(
        eq(users.calendarTokenHash, tokenHash),
        eq(users.isActive, true),
        isOpen,
        eq(assignments.status, 'pending'),
        between(assignments.date, from, to),
      ),
    )
    .orderBy(asc(assignments.date));
