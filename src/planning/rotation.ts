/**
 * The rotation: the group's members in the order they should bake next,
 * read from the ledger the memberships keep (src/planning/ledger.ts), never
 * from the history. Order: available on the next open cake day first, then
 * the highest balance, then the longest since they last baked (never
 * first), then the earliest joined, then the id: the same data always gives
 * the same order.
 */
import { z } from '@hono/zod-openapi';
import { and, asc, between, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { assignments, events, memberships, users } from '../db/schema';
import { addDays } from '../lib/time';
import { cakeDays } from './rrule';
import type { Schedule } from './schedule';

export const RotationEntrySchema = z
  .object({
    userId: z.string(),
    name: z.string(),
    balance: z
      .number()
      .openapi({ description: 'Shares of cakes eaten minus cakes baked, since joining (rounded to 3 decimals)' }),
    cakesBaked: z.number().int(),
    cakesShared: z.number().int().openapi({ description: 'The cakes they had a share of' }),
    lastBakedOn: z.string().nullable().openapi({ format: 'date' }),
    available: z.boolean().openapi({ description: 'Not away on the group’s next open cake day (today without a schedule)' }),
    awayUntil: z.string().nullable().openapi({ format: 'date', description: 'The last day of the absence covering that day' }),
  })
  .openapi('RotationEntry');

export type RotationEntry = z.infer<typeof RotationEntrySchema>;

/** How far ahead the next open cake day is looked for. */
const HORIZON_DAYS = 400;

/** How many of the coming cakes are looked at to find the next open cake day. */
const COVERED_LOOKAHEAD = 60;

/** The statements of a rotation (one batch with the session check and the group's schedule). */
export function rotationQueries(db: Database, groupId: string, today: string) {
  return [
    db
      .select({
        userId: memberships.userId,
        name: users.name,
        balance: memberships.balance,
        cakesBaked: memberships.cakesBaked,
        cakesShared: memberships.cakesShared,
        lastBakedOn: memberships.lastBakedOn,
        joinedAt: memberships.joinedAt,
        // The member's absences that are not over, for this group or every group: one index probe each.
        away: sql<string>`(select json_group_array(json_object('from', a.from_date, 'to', a.to_date)) from absences a
          where a.user_id = ${memberships.userId} and a.to_date >= ${today} and (a.group_id is null or a.group_id = ${groupId}))`,
      })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.groupId, groupId)),
    // The coming cakes' dates, in order, off the index: enough to find the next open cake day.
    db
      .select({ date: events.date })
      .from(events)
      .where(and(eq(events.groupId, groupId), between(events.date, today, addDays(today, HORIZON_DAYS))))
      .orderBy(asc(events.date))
      .limit(COVERED_LOOKAHEAD),
    // The coming days a pending or accepted assignment holds: not open either.
    db
      .select({ date: assignments.date })
      .from(assignments)
      .where(
        and(
          eq(assignments.groupId, groupId),
          between(assignments.date, today, addDays(today, HORIZON_DAYS)),
          sql`${assignments.status} in ('pending', 'accepted')`,
        ),
      )
      .orderBy(asc(assignments.date))
      .limit(COVERED_LOOKAHEAD),
  ] as const;
}

type MemberRow = Awaited<ReturnType<typeof rotationQueries>[0]>[number];

/** The first cake day from today on that no cake covers; today when the group has no schedule (or none within the horizon). */
function nextOpenCakeDay(schedule: Schedule | null, today: string, covered: ReadonlySet<string>): string {
  if (!schedule?.rule) return today;
  const days = cakeDays(schedule.rule, schedule.startDate, today, addDays(today, HORIZON_DAYS), schedule.skipDates);
  return days.find((d) => !covered.has(d)) ?? today;
}

/** The last day of the absences covering `day` back to back, or null when `day` is not covered. */
function awayUntil(spans: readonly { from: string; to: string }[], day: string): string | null {
  let until: string | null = null;
  let probe = day;
  // Absences may follow each other without a gap: the member is away until the last one ends.
  for (;;) {
    const covering = spans.filter((s) => s.from <= probe && s.to >= probe).map((s) => s.to);
    if (covering.length === 0) return until;
    until = covering.sort().at(-1)!;
    probe = addDays(until, 1);
  }
}

export function toRotation(
  schedule: Schedule | null,
  today: string,
  members: readonly MemberRow[],
  covered: ReadonlySet<string>,
): RotationEntry[] {
  const day = nextOpenCakeDay(schedule, today, covered);
  const rows = members.map((m) => {
    const until = awayUntil(JSON.parse(m.away) as { from: string; to: string }[], day);
    return { ...m, available: until === null, awayUntil: until };
  });
  rows.sort(
    (a, b) =>
      Number(b.available) - Number(a.available) ||
      b.balance - a.balance ||
      (a.lastBakedOn ?? '').localeCompare(b.lastBakedOn ?? '') ||
      a.joinedAt.localeCompare(b.joinedAt) ||
      a.userId.localeCompare(b.userId),
  );
  return rows.map((r) => ({
    userId: r.userId,
    name: r.name,
    balance: Math.round(r.balance * 1000) / 1000 || 0,
    cakesBaked: r.cakesBaked,
    cakesShared: r.cakesShared,
    lastBakedOn: r.lastBakedOn,
    available: r.available,
    awayUntil: r.awayUntil,
  }));
}

export const ROTATION_DESCRIPTION =
  'Every cake of the group whose date has come (from the schedule’s `startDate` on, in the group’s time zone) is shared ' +
  'among the members who were in the group that day (joined by that local date) and not away: each gains 1/n, the baker ' +
  'loses 1. Order: available on the next open cake day first, then `balance` descending, then the longest since ' +
  '`lastBakedOn` (never first), then the earliest joined, then the user id. Kept as cakes come due (the daily run, and ' +
  'at once for a cake created on or after its date); reading it never recomputes the history.';
