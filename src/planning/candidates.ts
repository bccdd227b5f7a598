/**
 * Whom to ask for a cake day: the group's members with what decides it,
 * read in one statement, and the order in code. The order is the
 * rotation's (src/planning/rotation.ts), judged on that date: members who
 * are away that day, inactive, or already had that date (declined it, or
 * hold it) are not candidates.
 *
 * One assignment changes the order for the next (the daily run assigns
 * several cake days in a row): each open assignment whose cake the ledger
 * has not counted yet counts as if its cake were counted, i.e. the
 * assignee's balance is one lower and their last cake is on its date. The
 * relative order is then the one the ledger will give once those cakes
 * come due (every other eater's share moves all of them alike).
 */
import { eq, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { memberships, users } from '../db/schema';

export function candidatesQuery(db: Database, groupId: string | SQL, date: string | SQL, today: string) {
  return db
    .select({
      userId: memberships.userId,
      name: users.name,
      active: users.isActive,
      balance: memberships.balance,
      lastBakedOn: memberships.lastBakedOn,
      joinedAt: memberships.joinedAt,
      away: sql<number>`exists (select 1 from absences a where a.user_id = ${memberships.userId}
        and a.to_date >= ${date} and a.from_date <= ${date} and (a.group_id is null or a.group_id = ${memberships.groupId}))`,
      // Declined, holds, or was assigned that date: nobody is assigned the same date twice.
      hadDate: sql<number>`exists (select 1 from assignments h where h.group_id = ${memberships.groupId} and h.date = ${date}
        and h.user_id = ${memberships.userId} and h.status <> 'withdrawn')`,
      // Open assignments whose cake is not counted yet: one index probe per member.
      owed: sql<string>`(select json_object('n', count(*), 'last', max(o.date)) from assignments o
        where o.user_id = ${memberships.userId} and o.status in ('pending', 'accepted') and o.date >= ${today}
          and o.group_id = ${memberships.groupId}
          and not exists (select 1 from events oe where oe.id = o.event_id and oe.ledger_share is not null))`,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.groupId, groupId));
}

export type CandidateRow = Awaited<ReturnType<typeof candidatesQuery>>[number];

export interface Candidate {
  userId: string;
  name: string;
  /** The ledger's balance minus the open assignments not counted yet. */
  balance: number;
  lastBakedOn: string | null;
  joinedAt: string;
}

/** Why a member cannot be assigned that date, or null when they can. */
export function whyNot(row: CandidateRow): string | null {
  if (!row.active) return 'That member’s account is not active.';
  if (row.away) return 'That member is away on that day.';
  if (row.hadDate) return 'That member already had this date (declined it, or holds it).';
  return null;
}

const adjusted = (row: CandidateRow): Candidate => {
  const owed = JSON.parse(row.owed) as { n: number; last: string | null };
  const lastBakedOn =
    [row.lastBakedOn, owed.last]
      .filter((d): d is string => d !== null)
      .sort()
      .at(-1) ?? null;
  return { userId: row.userId, name: row.name, balance: row.balance - owed.n, lastBakedOn, joinedAt: row.joinedAt };
};

/**
 * The members who may be asked, first to ask first: the highest balance,
 * then the longest since their last cake (never first), then the earliest
 * joined, then the id. The same data always gives the same order.
 */
export function candidatesInOrder(rows: readonly CandidateRow[], excluding: ReadonlySet<string> = new Set()): Candidate[] {
  return rows
    .filter((r) => whyNot(r) === null && !excluding.has(r.userId))
    .map(adjusted)
    .sort(
      (a, b) =>
        b.balance - a.balance ||
        (a.lastBakedOn ?? '').localeCompare(b.lastBakedOn ?? '') ||
        a.joinedAt.localeCompare(b.joinedAt) ||
        a.userId.localeCompare(b.userId),
    );
}

/** After `chosen` was assigned a cake of `date`: the order for the next date (the daily run assigns several in a row). */
export function afterAssigning(rows: CandidateRow[], chosen: string, date: string): CandidateRow[] {
  return rows.map((r) => {
    if (r.userId !== chosen) return r;
    const owed = JSON.parse(r.owed) as { n: number; last: string | null };
    const last = owed.last && owed.last > date ? owed.last : date;
    return { ...r, owed: JSON.stringify({ n: owed.n + 1, last }) };
  });
}
