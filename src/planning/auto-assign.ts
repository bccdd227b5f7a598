/**
 * The daily run's assignments: for every group whose schedule has
 * autoAssign, each open cake day from the group's today to `leadDays`
 * ahead is assigned, in date order, to the then first candidate
 * (src/planning/candidates.ts): a member chosen for one day counts as
 * having baked on it when the next day is decided, so a run that assigns
 * several days spreads them as the ledger will. One statement lists the
 * groups with the dates already held; a group with open days then costs
 * one batch for the candidates of each day and one for the inserts.
 * The inserts are conditional (no cake on the date) and the unique
 * indexes refuse a second open assignment of a date, so a second run the
 * same day, or a run racing an admin, assigns nothing twice. Beyond one
 * invocation's limits this would fan out as one queue message per group.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { groups, schedules } from '../db/schema';
import type { Bindings } from '../env';
import { addDays, localDate } from '../lib/time';
import { publish } from '../live/publish';
import { enqueueMail } from '../mail';
import { assignStatements } from './answers';
import type { AssignmentAction } from './assignments';
import { afterAssigning, type CandidateRow, candidatesInOrder, candidatesQuery } from './candidates';
import { assignedMail, assignmentChanged, linkOrigin } from './notices';
import { cakeDays, parseRule } from './rrule';

/** The latest lead a schedule takes (src/planning/schedule.ts), and a day either side for every zone's today. */
const MAX_LEAD_DAYS = 60;

/**
 * The autoAssign groups with their schedules and the dates in the widest
 * window any of them looks at that cakes or open assignments already
 * hold: one statement, so a group with nothing open costs no more.
 */
function autoGroupsQuery(db: Database, now: Date) {
  const utcToday = now.toISOString().slice(0, 10);
  const [lo, hi] = [addDays(utcToday, -1), addDays(utcToday, MAX_LEAD_DAYS + 1)];
  return db
    .select({
      id: groups.id,
      timeZone: groups.timeZone,
      rule: schedules.rule,
      startDate: schedules.startDate,
      skipDates: schedules.skipDates,
      leadDays: schedules.leadDays,
      cakes: sql<string>`(select json_group_array(e.date) from events e
        where e.group_id = ${schedules.groupId} and e.date between ${lo} and ${hi})`,
      assigned: sql<string>`(select json_group_array(h.date) from assignments h
        where h.group_id = ${schedules.groupId} and h.date between ${lo} and ${hi} and h.status in ('pending', 'accepted'))`,
    })
    .from(schedules)
    .innerJoin(groups, eq(groups.id, schedules.groupId))
    .where(and(eq(schedules.autoAssign, true), sql`${schedules.rule} is not null`));
}

type AutoGroup = Awaited<ReturnType<typeof autoGroupsQuery>>[number];

/** Assigns what is open in every autoAssign group; returns the assignments made. */
export async function autoAssignAll(db: Database, env: Bindings, now: Date): Promise<AssignmentAction[]> {
  const due = await autoGroupsQuery(db, now);
  const made: AssignmentAction[] = [];
  for (const group of due) made.push(...(await autoAssignGroup(db, group, now)));
  // One queue call for every mail of the run; a refused one is logged (the 48-hour reminder mails again).
  const origin = linkOrigin(env);
  await enqueueMail(env, ...(await Promise.all(made.map((a) => assignedMail(env, origin, a)))));
  await Promise.all(made.map((a) => publish(env, assignmentChanged(a), { origin })));
  return made;
}

/** The group's open cake days from its today to leadDays ahead, in date order. */
function openDaysOf(group: AutoGroup, now: Date): { today: string; days: string[] } {
  const parsed = group.rule ? parseRule(group.rule) : null;
  const today = localDate(group.timeZone, now);
  if (!parsed?.ok) return { today, days: [] };
  const days = cakeDays(
    parsed.rule,
    group.startDate,
    today,
    addDays(today, group.leadDays),
    JSON.parse(group.skipDates) as string[],
  );
  const taken = new Set([...(JSON.parse(group.cakes) as string[]), ...(JSON.parse(group.assigned) as string[])]);
  return { today, days: days.filter((d) => !taken.has(d)) };
}

async function autoAssignGroup(db: Database, group: AutoGroup, now: Date): Promise<AssignmentAction[]> {
  const { today, days: openDays } = openDaysOf(group, now);
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
