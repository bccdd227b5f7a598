/**
 * Absences: a member away from one date to another (both included), in one
 * group or every group. Away members are neither assigned nor given a share
 * of cakes on those days; others see only `available` and `awayUntil` in
 * the rotation, never the absence itself.
 */
import { z } from '@hono/zod-openapi';
import { and, eq, gte, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { absences, memberships, users } from '../db/schema';
import { LocalDateField } from './schedule';

export const MAX_ABSENCE_DAYS = 366;
export const MAX_OPEN_ABSENCES = 50;

export const AbsenceSchema = z
  .object({
    id: z.string(),
    from: z.string().openapi({ format: 'date' }),
    to: z.string().openapi({ format: 'date' }),
    groupId: z.string().nullable().openapi({ description: 'null: every group' }),
  })
  .openapi('Absence');

export const NewAbsenceSchema = z
  .object({
    from: LocalDateField,
    to: LocalDateField,
    groupId: z
      .string()
      .min(1)
      .max(64)
      .nullable()
      .optional()
      .openapi({ description: 'One of the caller’s groups; omitted or null: every group' }),
  })
  .openapi('NewAbsence');

const view = { id: absences.id, from: absences.fromDate, to: absences.toDate, groupId: absences.groupId };

/** The user's absences that are not over (`to` on or after `today`), off the index in the order they end. */
export function openAbsencesQuery(db: Database, userId: string, today: string) {
  return db
    .select(view)
    .from(absences)
    .where(and(eq(absences.userId, userId), gte(absences.toDate, today)));
}

type AbsenceView = Awaited<ReturnType<typeof openAbsencesQuery>>[number];

/** Soonest first: sorted here, there are at most MAX_OPEN_ABSENCES of them. */
export const soonestFirst = (rows: AbsenceView[]) =>
  rows.sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to) || a.id.localeCompare(b.id));

/**
 * Records the absence only while the user has fewer than MAX_OPEN_ABSENCES
 * that are not over and, for one group, is a member of it: the conditions
 * are the INSERT's own, so two requests at once cannot pass the limit.
 * Returns the row, or nothing when a condition failed.
 */
export function insertAbsenceStatement(
  db: Database,
  absence: { id: string; userId: string; groupId: string | null; from: string; to: string },
  today: string,
) {
  const underLimit = sql`(select count(*) from absences o where o.user_id = ${absence.userId} and o.to_date >= ${today}) < ${MAX_OPEN_ABSENCES}`;
  const inGroup =
    absence.groupId === null
      ? sql`1`
      : sql`exists (select 1 from memberships m where m.user_id = ${absence.userId} and m.group_id = ${absence.groupId})`;
  // Selected from the user's own row: the INSERT's conditions are its WHERE.
  return db.insert(absences).select((qb) =>
    qb
      .select({
        id: sql<string>`${absence.id}`.as('id'),
        userId: users.id,
        groupId: sql<string | null>`${absence.groupId}`.as('group_id'),
        fromDate: sql<string>`${absence.from}`.as('from_date'),
        toDate: sql<string>`${absence.to}`.as('to_date'),
        createdAt: sql<string>`${new Date().toISOString()}`.as('created_at'),
      })
      .from(users)
      .where(and(eq(users.id, absence.userId), underLimit, inGroup)),
  );
}

export function absenceByIdQuery(db: Database, userId: string, id: string) {
  return db
    .select(view)
    .from(absences)
    .where(and(eq(absences.id, id), eq(absences.userId, userId)))
    .limit(1);
}

export const openAbsenceCountQuery = (db: Database, userId: string, today: string) =>
  db
    .select({ n: sql<number>`count(*)` })
    .from(absences)
    .where(and(eq(absences.userId, userId), gte(absences.toDate, today)));

/** Whether the user is a member of the group (for a 404 on another group's id). */
export const membershipQuery = (db: Database, userId: string, groupId: string) =>
  db
    .select({ groupId: memberships.groupId })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.groupId, groupId)))
    .limit(1);

export const deleteAbsenceStatement = (db: Database, userId: string, id: string) =>
  db
    .delete(absences)
    .where(and(eq(absences.id, id), eq(absences.userId, userId)))
    .returning({ id: absences.id });
