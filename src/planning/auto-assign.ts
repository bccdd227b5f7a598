/**
 * The daily run's assignments: for every group whose schedule has
 * autoAssign, each open cake day from the group's today to `leadDays`
 * ahead is assigned, in date order, to the then first candidate
 * (src/planning/candidates.ts): a member chosen for one day counts as
 * having baked on it when the next day is decided, so a run that assigns
 * several days spreads them as the ledger will. Per group: one batch finds
 * the open days, one reads the candidates of each, one inserts them all.
 * The inserts are conditional (no cake on the date) and the unique
 * indexes refuse a second open assignment of a date, so a second run the
 * same day, or a run racing an admin, assigns nothing twice. Beyond one
 * invocation's limits this would fan out as one queue message per group.
 */
import { and, between, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { events, groups, schedules } from '../db/schema';
import type { Bindings } from '../env';
import { addDays, localDate } from '../lib/time';
import { publish } from '../live/publish';
import { enqueueMail } from '../mail';
import { assignStatements } from './answers';
import { type AssignmentAction, openAssignmentsInRangeQuery } from './assignments';
import { afterAssigning, type CandidateRow, candidatesInOrder, candidatesQuery } from './candidates';
import { assignedMail, assignmentChanged, linkOrigin } from './notices';
import { cakeDays, parseRule } from './rrule';

interface AutoGroup {
  id: string;
  timeZone: string;
  rule: string | null;
  startDate: string;
  skipDates: string;
  leadDays: number;
}

/** Assigns what is open in every autoAssign group; returns the assignments made. */
export async function autoAssignAll(db: Database, env: Bindings, now: Date): Promise<AssignmentAction[]> {
  const due = await db
    .select({
      id: groups.id,
      timeZone: groups.timeZone,
      rule: schedules.rule,
      startDate: schedules.startDate,
      skipDates: schedules.skipDates,
      leadDays: schedules.leadDays,
    })
    .from(schedules)
    .innerJoin(groups, eq(groups.id, schedules.groupId))
    .where(and(eq(schedules.autoAssign, true), sql`${schedules.rule} is not null`));
  const made: AssignmentAction[] = [];
  for (const group of due) made.push(...(await autoAssignGroup(db, group, now)));
  // One queue call for every mail of the run; a refused one is logged (the 48-hour reminder mails again).
  const origin = linkOrigin(env);
  await enqueueMail(env, ...(await Promise.all(made.map((a) => assignedMail(env, origin, a)))));
  await Promise.all(made.map((a) => publish(env, assignmentChanged(a))));
  return made;
}

async function autoAssignGroup(db: Database, group: AutoGroup, now: Date): Promise<AssignmentAction[]> {
  const parsed = group.rule ? parseRule(group.rule) : null;
  if (!parsed?.ok) return [];
  const today = localDate(group.timeZone, now);
  const last = addDays(today, group.leadDays);
  const days = cakeDays(parsed.rule, group.startDate, today, last, JSON.parse(group.skipDates) as string[]);
  if (days.length === 0) return [];
  const [cakes, open] = await db.batch([
    db
      .select({ date: events.date })
      .from(events)
      .where(and(eq(events.groupId, group.id), between(events.date, today, last))),
    openAssignmentsInRangeQuery(db, group.id, today, last),
  ]);
  const taken = new Set([...cakes.map((c) => c.date), ...open.map((a) => a.date)]);
  const openDays = days.filter((d) => !taken.has(d));
  if (openDays.length === 0) return [];
  const [first, ...more] = openDays.map((d) => candidatesQuery(db, group.id, d, today));
  const perDay = (await db.batch([first!, ...more])) as CandidateRow[][];
  const picks: { userId: string; date: string }[] = [];
  openDays.forEach((date, i) => {
    // Earlier picks of this run move their members back for this day.
    const rows = picks.reduce((r, p) => afterAssigning(r, p.userId, p.date), perDay[i]!);
    const chosen = candidatesInOrder(rows)[0];
    if (chosen) picks.push({ userId: chosen.userId, date });
  });
  if (picks.length === 0) return [];
  const statements = picks.flatMap((p) => assignStatements(db, { id: crypto.randomUUID(), groupId: group.id, ...p }));
  const results = (await db.batch(statements as never)) as unknown[][];
  return results.filter((_, i) => i % 2 === 1).flatMap((rows) => rows as AssignmentAction[]);
}
