/** A group's cake days in a range, each with what covers it. */
import { z } from '@hono/zod-openapi';
import { and, asc, between, eq } from 'drizzle-orm';
import type { Database } from '../db/client';
import { events } from '../db/schema';
import { bakerNameOf } from '../events/queries';
import { type AssignmentRow, AssignmentSchema, toAssignment } from './assignments';
import { cakeDays } from './rrule';
import type { Schedule } from './schedule';

/** The longest range one request may ask for, both ends included. */
export const MAX_CAKE_DAY_RANGE = 400;

export const CakeDaySchema = z
  .object({
    date: z.string().openapi({ format: 'date' }),
    events: z.array(z.object({ id: z.string(), bakerId: z.string().nullable(), bakerName: z.string() })),
    assignment: AssignmentSchema.nullable().openapi({ description: 'The pending or accepted assignment of the day, else null' }),
    open: z.boolean().openapi({ description: 'No cake is on that date and no assignment is pending or accepted' }),
  })
  .openapi('CakeDay');

export type CakeDay = z.infer<typeof CakeDaySchema>;

/** The group's cakes in the range (the cake days among them are matched in code). */
export function cakesInRangeQuery(db: Database, groupId: string, from: string, to: string) {
  return db
    .select({ id: events.id, date: events.date, bakerId: events.bakerId, bakerName: bakerNameOf(events.bakerId) })
    .from(events)
    .where(and(eq(events.groupId, groupId), between(events.date, from, to)))
    .orderBy(asc(events.date), asc(events.createdAt), asc(events.id));
}

type CakeRow = Awaited<ReturnType<typeof cakesInRangeQuery>>[number];

export function toCakeDays(
  schedule: Schedule | null,
  from: string,
  to: string,
  cakes: readonly CakeRow[],
  open: readonly AssignmentRow[],
): CakeDay[] {
  if (!schedule?.rule) return [];
  const byDate = new Map<string, CakeRow[]>();
  for (const cake of cakes) byDate.set(cake.date, [...(byDate.get(cake.date) ?? []), cake]);
  const assigned = new Map(open.map((a) => [a.date, toAssignment(a)]));
  return cakeDays(schedule.rule, schedule.startDate, from, to, schedule.skipDates).map((date) => {
    const covering = (byDate.get(date) ?? []).map(({ id, bakerId, bakerName }) => ({ id, bakerId, bakerName }));
    const assignment = assigned.get(date) ?? null;
    return { date, events: covering, assignment, open: covering.length === 0 && assignment === null };
  });
}
