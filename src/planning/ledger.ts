/**
 * The cake ledger: who owes the group a cake. Every cake whose date has come
 * (from the schedule's start on) is shared among the members who were in
 * the group that day and not away: each gains 1/n, the baker loses 1. The
 * balances live on the memberships and are kept as cakes come due (the
 * daily run, and right after a past-due cake is created) and as counted
 * cakes are deleted; reading the rotation never recomputes the history.
 *
 * Counting a cake is one batch of conditional statements: the first marks
 * the event with this run's token only if nobody counted it yet, and the
 * others apply only where the event carries that token, so two runs at
 * once count a cake once.
 */
import { and, asc, eq, gte, isNull, lte, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { events, groups, memberships, schedules } from '../db/schema';
import { addDays, localDate, startOfLocalDay } from '../lib/time';

/** The members of `groupId` who share a cake of `date`: joined by that local date, not away that day. */
function eatersOf(groupId: string, date: string, timeZone: string): SQL {
  const joinedBefore = startOfLocalDay(timeZone, addDays(date, 1));
  return sql`${memberships.groupId} = ${groupId} and ${memberships.joinedAt} < ${joinedBefore}
    and not exists (select 1 from absences a where a.user_id = ${memberships.userId}
      and a.to_date >= ${date} and a.from_date <= ${date} and (a.group_id is null or a.group_id = ${groupId}))`;
}

const eatersCount = (groupId: string, date: string, timeZone: string) =>
  sql`(select count(*) from memberships where ${eatersOf(groupId, date, timeZone)})`;

interface DueCake {
  id: string;
  groupId: string;
  date: string;
}

/** The statements that count one cake (see the module comment). */
function countingStatements(db: Database, cake: DueCake, timeZone: string) {
  const run = crypto.randomUUID();
  const counted = sql`exists (select 1 from events c where c.id = ${cake.id} and c.ledger_run = ${run})`;
  const share = sql`(select c.ledger_share from events c where c.id = ${cake.id})`;
  const charged = sql`(select c.ledger_baker_id from events c where c.id = ${cake.id})`;
  return [
    db
      .update(events)
      .set({
        // No eater at all (1/0 is null in SQLite): nobody gains, the baker still pays.
        ledgerShare: sql`coalesce(1.0 / ${eatersCount(cake.groupId, cake.date, timeZone)}, 0)`,
        ledgerBakerId: sql`${events.bakerId}`,
        ledgerRun: run,
      })
      .where(and(eq(events.id, cake.id), isNull(events.ledgerShare))),
    db
      .update(memberships)
      .set({ balance: sql`${memberships.balance} + ${share}`, cakesShared: sql`${memberships.cakesShared} + 1` })
      .where(and(eatersOf(cake.groupId, cake.date, timeZone), counted)),
    db
      .update(memberships)
      .set({
        balance: sql`${memberships.balance} - 1`,
        cakesBaked: sql`${memberships.cakesBaked} + 1`,
        lastBakedOn: sql`max(coalesce(${memberships.lastBakedOn}, ''), ${cake.date})`,
      })
      .where(and(eq(memberships.groupId, cake.groupId), sql`${memberships.userId} = ${charged}`, counted)),
  ] as const;
}

/**
 * The statements that take a counted cake out of the ledger again (before
 * it is deleted, or its baker changes): the same eaters lose its share, the
 * charged baker gets the cake back. Members who left since are gone from
 * the ledger anyway; whoever joined later never had a share.
 */
export function uncountingStatements(db: Database, cake: DueCake, timeZone: string) {
  const share = sql`(select c.ledger_share from events c where c.id = ${cake.id})`;
  const charged = sql`(select c.ledger_baker_id from events c where c.id = ${cake.id})`;
  const isCounted = sql`${share} is not null`;
  const lastOther = sql`(select max(o.date) from events o where o.baker_id = ${memberships.userId}
    and o.group_id = ${cake.groupId} and o.ledger_share is not null and o.id <> ${cake.id})`;
  return [
    db
      .update(memberships)
      .set({ balance: sql`${memberships.balance} - ${share}`, cakesShared: sql`${memberships.cakesShared} - 1` })
      .where(and(eatersOf(cake.groupId, cake.date, timeZone), isCounted)),
    db
      .update(memberships)
      .set({ balance: sql`${memberships.balance} + 1`, cakesBaked: sql`${memberships.cakesBaked} - 1`, lastBakedOn: lastOther })
      .where(and(eq(memberships.groupId, cake.groupId), sql`${memberships.userId} = ${charged}`, isCounted)),
    db.update(events).set({ ledgerShare: null, ledgerBakerId: null, ledgerRun: null }).where(eq(events.id, cake.id)),
  ] as const;
}

/** At most this many cakes a group's count takes in one go (the daily run comes back for the rest). */
const COUNT_BATCH = 25;

/**
 * Counts the group's cakes that have come due (`from` ≤ date ≤ `today`) and
 * are not counted yet, oldest first, in one batch. Returns how many it found
 * (COUNT_BATCH means there may be more).
 */
export async function countDueCakes(
  db: Database,
  group: { id: string; timeZone: string; startDate: string },
  today: string,
): Promise<number> {
  const due = await db
    .select({ id: events.id, groupId: events.groupId, date: events.date })
    .from(events)
    .where(
      and(eq(events.groupId, group.id), isNull(events.ledgerShare), gte(events.date, group.startDate), lte(events.date, today)),
    )
    .orderBy(asc(events.date), asc(events.createdAt))
    .limit(COUNT_BATCH);
  if (due.length === 0) return 0;
  const statements = due.flatMap((cake) => countingStatements(db, cake, group.timeZone));
  await db.batch(statements as never);
  return due.length;
}

/** Counts what has come due in one group, if it has a schedule (after a cake dated today or earlier was created). */
export async function countGroupCakes(db: Database, groupId: string): Promise<number> {
  const [row] = await db
    .select({ timeZone: groups.timeZone, startDate: schedules.startDate })
    .from(schedules)
    .innerJoin(groups, eq(groups.id, schedules.groupId))
    .where(eq(schedules.groupId, groupId));
  if (!row) return 0;
  return countDueCakes(db, { id: groupId, ...row }, localDate(row.timeZone));
}

/** Rounds per group and daily run: a backlog larger than this is finished by the next runs. */
const ROUNDS_PER_RUN = 20;

/**
 * The daily run's part: every group with a schedule and a cake come due
 * that is not counted yet (one statement finds them, off the due-cakes
 * index), counted group by group. "Come due" is judged with the latest
 * today anywhere (UTC+14) to find candidates and with each group's own
 * today to count. Beyond one invocation's limits this would fan out as one
 * queue message per group.
 */
export async function countAllDueCakes(db: Database, now: Date): Promise<number> {
  const latestToday = addDays(now.toISOString().slice(0, 10), 1);
  const due = await db
    .select({ id: schedules.groupId, timeZone: groups.timeZone, startDate: schedules.startDate })
    .from(schedules)
    .innerJoin(groups, eq(groups.id, schedules.groupId))
    .where(
      sql`exists (select 1 from events e where e.group_id = ${schedules.groupId} and e.ledger_share is null
        and e.date >= ${schedules.startDate} and e.date <= ${latestToday})`,
    );
  let counted = 0;
  for (const group of due) {
    const today = localDate(group.timeZone, now);
    for (let round = 0; round < ROUNDS_PER_RUN; round++) {
      const n = await countDueCakes(db, group, today);
      counted += n;
      if (n < COUNT_BATCH) break;
    }
  }
  return counted;
}
