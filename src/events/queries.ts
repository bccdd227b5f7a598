/**
 * One statement that yields everything a CakeEvent needs: the event, its
 * group and baker, the rating aggregates, the viewer's own rating and the
 * gallery (JSON-aggregated). Visibility is part of the WHERE clause.
 */
import { and, asc, eq, getTableName, type SQL, Subquery, sql } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Caller } from '../auth/caller';
import type { Database } from '../db/client';
import { events, groups, users } from '../db/schema';
import { type Branch, branchFor, eventListBranches, visibleTo } from '../policy';
import { suitsViewer } from './dietary';

export interface EventQueryOptions {
  where?: SQL;
  orderBy?: (SQL | SQLiteColumn)[];
  /** A number, or a branch's guarded page size (src/policy/roles.ts). */
  limit?: number | SQL;
  /** Which events the viewer may see; by default `visibleTo` (for reads by key). */
  scope?: SQL;
  /** A statement whose rows (all of the table's columns) are read instead of the table: the Hall of Fame's merge. */
  from?: SQL;
}

/** The baker of a past event whose account was deleted. */
const DELETED_USER = 'Deleted user';

/**
 * The baker's name, or DELETED_USER once the account is gone. Read off
 * `users_id_name_idx` alone: SQLite would take the primary key's index (one
 * row, found by equality) and then read the user's row for the name, twice
 * the pages per cake in every list of cakes. `indexed by` fails the
 * statement if the index is missing, which the query-plan test would show.
 */
export const bakerNameOf = (bakerId: SQL | SQLiteColumn) =>
  sql<string>`coalesce((select b.name from users b indexed by users_id_name_idx where b.id = ${bakerId}), ${DELETED_USER})`;

export const chronologicalKey = [events.date, events.createdAt, events.id];
const chronological = chronologicalKey.map((c) => asc(c));

export function eventRowsQuery(db: Database, viewerId: string, options: EventQueryOptions = {}) {
  const q = db
    .select({
      id: events.id,
      groupId: events.groupId,
      // Aliased: D1 returns rows as arrays and drops columns of equal names ("name").
      groupName: sql<string>`${groups.name}`.as('group_name'),
      timeZone: groups.timeZone,
      bakerId: events.bakerId,
      bakerName: sql<string>`coalesce(${users.name}, ${DELETED_USER})`.as('baker_name'),
      date: events.date,
      description: events.description,
      coverPhotoKey: events.coverPhotoKey,
      allergens: events.allergens,
      suitableFor: events.suitableFor,
      suitsMe: suitsViewer(viewerId, events.allergens, events.suitableFor).as('suits_me'),
      sequence: events.sequence,
      ratingCount: events.ratingCount,
      ratingSum: events.ratingSum,
      myRating: sql<number>`coalesce((select r.stars from ratings r where r.event_id = ${events.id} and r.user_id = ${viewerId}), 0)`,
      gallery: sql<string>`(select json_group_array(json_object('userId', p.user_id, 'userName', pu.name,
          'key', p.object_key, 'uploadedAt', p.created_at))
        from event_photos p join users pu on pu.id = p.user_id where p.event_id = ${events.id})`,
      createdAt: events.createdAt,
    })
    // A page in place of the table goes by the table's name, so every column above reads it.
    .from(options.from ? new Subquery(options.from, {}, getTableName(events)) : events)
    .innerJoin(groups, eq(groups.id, events.groupId))
    .leftJoin(users, eq(users.id, events.bakerId))
    .where(and(options.scope ?? visibleTo(viewerId), options.where))
    .orderBy(...(options.orderBy ?? chronological));
  // drizzle renders an SQL limit as it is; its types only name numbers.
  return options.limit ? q.limit(options.limit as number) : q;
}

export type EventRow = Awaited<ReturnType<typeof eventRowsQuery>>[number];

/** One branch of a list over every visible group (see `eventListBranches`). */
const eventBranchQuery = (db: Database, viewerId: string, branch: Branch, options: Omit<EventQueryOptions, 'scope' | 'limit'>) =>
  eventRowsQuery(db, viewerId, { ...options, scope: branch.where ?? sql`1`, limit: branch.limit });

/**
 * The statements of one page of the events a viewer may see: one group's
 * (visibility checked per row), or every visible group's as two branches
 * (see src/policy/roles.ts), of which `visiblePage` keeps the caller's.
 * `memberPage` replaces the member's branch where a list needs its own form
 * (the Hall of Fame's merge of the member's groups): the rows it reads
 * instead of the table, in its own order, without `options.where`.
 */
export function visiblePageQueries(
  db: Database,
  viewerId: string,
  groupId: string | undefined,
  options: Omit<EventQueryOptions, 'limit' | 'scope'> & { limit: number },
  memberPage?: (viewer: string) => Pick<EventQueryOptions, 'from' | 'orderBy'>,
) {
  if (groupId) return [eventRowsQuery(db, viewerId, { ...options, where: and(eq(events.groupId, groupId), options.where) })];
  const [adminBranch, memberBranch] = eventListBranches(viewerId, options.limit);
  const { limit: _, ...rest } = options;
  return [
    eventBranchQuery(db, viewerId, adminBranch, rest),
    memberPage
      ? eventBranchQuery(
          db,
          viewerId,
          { ...memberBranch, where: undefined },
          { ...rest, where: undefined, ...memberPage(viewerId) },
        )
      : eventBranchQuery(db, viewerId, memberBranch, rest),
  ];
}

/** The caller's rows of what `visiblePageQueries` read. */
export function visiblePage(caller: Caller, results: readonly EventRow[][]): EventRow[] {
  return results.length === 1 ? results[0]! : branchFor(caller, results[0]!, results[1]!).rows;
}

/** The facts the write endpoints decide on, for a visible event (no row when invisible). */
export function eventAccessQuery(db: Database, viewerId: string, eventId: string) {
  return db
    .select({
      id: events.id,
      groupId: events.groupId,
      bakerId: events.bakerId,
      date: events.date,
      timeZone: groups.timeZone,
    })
    .from(events)
    .innerJoin(groups, eq(groups.id, events.groupId))
    .where(and(eq(events.id, eventId), visibleTo(viewerId)))
    .limit(1);
}
