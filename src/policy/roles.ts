/**
 * Who the caller is, as the rules below ask it: member, group admin, global
 * admin; and the same questions as SQL, for statements that run in one batch
 * with the session check (only the caller's id is known when they are built).
 *
 * Lists come as two statements ("branches"), each in a form an index serves:
 * a global admin's reads every row in index order, anyone else's probes the
 * caller's own groups. (One `EXISTS … OR …` could not be served by any
 * index.) Each branch carries its guard in its LIMIT: the page size times the
 * viewer's admin flag (or its complement). SQLite computes LIMIT once, before
 * reading anything, and stops at once on 0, so the branch that does not
 * apply reads no row; a guard in WHERE would be re-evaluated on every row.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Caller } from '../auth/caller';
import { ApiError } from '../errors';

export const isMemberOf = (caller: Caller, groupId: string) => caller.groups.some((g) => g.id === groupId);

export const isGroupAdminOf = (caller: Caller, groupId: string) =>
  caller.groups.some((g) => g.id === groupId && g.role === 'admin');

/** Administers at least one group (may open the admin panel). */
export const isAnyGroupAdmin = (caller: Caller) => caller.groups.some((g) => g.role === 'admin');

/** Admin routes: a global admin, or (where the route allows it) a group admin. Declared as `authenticate({ admits })`. */
export function requireGlobalAdmin(caller: Caller): void {
  if (!caller.isAdmin) throw new ApiError('forbidden', 'Only a global administrator may do this.');
}

export function requireAnyAdmin(caller: Caller): void {
  if (!caller.isAdmin && !isAnyGroupAdmin(caller)) {
    throw new ApiError('forbidden', 'Only an administrator may do this.');
  }
}

const adminFlag = (viewerId: string) => sql`(select va.is_admin from users va where va.id = ${viewerId})`;

/** The viewer is a global admin (false for an unknown viewer). For statements that read a handful of rows by key. */
export const viewerIsAdmin = (viewerId: string): SQL => sql`coalesce(${adminFlag(viewerId)}, 0) = 1`;

/** The ids of the viewer's groups, as a subquery for `IN`. */
export const viewerGroupIds = (viewerId: string): SQL =>
  sql`(select vm.group_id from memberships vm where vm.user_id = ${viewerId})`;

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

/** A list's two statements: the rows of the one that applied to the caller. */
export type BranchRows<A, M> = { admin: true; rows: A } | { admin: false; rows: M };

/**
 * Both branches go in the session check's batch: the one that does not apply
 * stops at its LIMIT 0 (its guard reads the caller's row, no more), so a
 * list costs one round trip whoever asks, without guessing the caller's role
 * from the token.
 */
export const branchFor = <A, M>(caller: Caller, asAdmin: A, asOther: M): BranchRows<A, M> =>
  caller.isAdmin ? { admin: true, rows: asAdmin } : { admin: false, rows: asOther };
