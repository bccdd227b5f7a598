// Events, domain module (src/events/). HTTP routes: src/routes/events/; table: `events` in src/db/schema.ts.
/**
 * Event visibility as SQL: the members of an event's group, and global
 * admins. Every event query takes the viewer and applies this filter inside
 * the statement, so no handler can return an event it forgot to check.
 *
 * The viewer is known only by id when the statement is built (it runs in one
 * batch with the token check), so lists come as two statements, each in a
 * form an index serves: a global admin's reads every group in index order, a
 * member's probes the `(group_id, …)` index once per own group. (One
 * `EXISTS … OR …` could not be served by any index.) Each branch carries its
 * guard in its LIMIT: the page size times the viewer's admin flag (or its
 * complement). SQLite computes LIMIT once, before reading anything, and
 * stops at once on 0, so the branch that does not apply reads no row; a
 * guard in WHERE would be re-evaluated on every row of a full walk.
 */
import { sql, type SQL } from 'drizzle-orm';
import { events } from '../db/schema';

const adminFlag = (viewerId: string) => sql`(select va.is_admin from users va where va.id = ${viewerId})`;

/** The viewer is a global admin (false for an unknown viewer). For statements that read a handful of rows by key. */
export const viewerIsAdmin = (viewerId: string): SQL => sql`coalesce(${adminFlag(viewerId)}, 0) = 1`;

/** The ids of the viewer's groups, as a subquery for `IN`. */
export const viewerGroupIds = (viewerId: string): SQL =>
  sql`(select vm.group_id from memberships vm where vm.user_id = ${viewerId})`;

/** For statements that find their events by key (one id, one group): checked per row. */
export function visibleTo(viewerId: string): SQL {
  return sql`(${events.groupId} in ${viewerGroupIds(viewerId)} or ${viewerIsAdmin(viewerId)})`;
}

/** One of a list's two statements: its own condition, and the page size it reads (0 when it does not apply). */
export interface Branch {
  where?: SQL;
  limit: SQL;
}

/** `limit` rows for a global admin, none for anyone else. */
export const asGlobalAdmin = (viewerId: string, limit: number, where?: SQL): Branch => ({
  where,
  limit: sql`(${limit} * coalesce(${adminFlag(viewerId)}, 0))`,
});

/** `limit` rows for anyone but a global admin (and an unknown viewer). */
export const asNonAdmin = (viewerId: string, limit: number, where?: SQL): Branch => ({
  where,
  limit: sql`(${limit} * (1 - coalesce(${adminFlag(viewerId)}, 1)))`,
});

/** The two branches of an event list over every visible group. */
export const eventListBranches = (viewerId: string, limit: number) =>
  [asGlobalAdmin(viewerId, limit), asNonAdmin(viewerId, limit, sql`${events.groupId} in ${viewerGroupIds(viewerId)}`)] as const;
