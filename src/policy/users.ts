/**
 * Users: whom an admin manages (as a predicate and as its SQL twin), whose
 * email a caller sees, and the one rule no admin action may break: there is
 * always an active global admin. Who sees whom in GET /api/users (the
 * members of the caller's groups, and the caller) is the join of that
 * statement itself: src/users/visible-users.ts.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Caller } from '../auth/caller';
import { users } from '../db/schema';
import { asGlobalAdmin, asNonAdmin, isGroupAdminOf, viewerIsAdmin } from './roles';

/**
 * Whom an admin manages, as SQL conditions for statements that run in one
 * batch with the token check (the caller's flags are not loaded yet, only
 * its id): a global admin everyone, a group admin the members of the groups
 * it administers. This one for writes about one user, the branches below
 * for the admin lists (tested through the routes in test/admin).
 */
export const managedUsersScope = (callerId: string) => sql`(${viewerIsAdmin(callerId)} or exists (
    select 1 from memberships mine join memberships theirs on theirs.group_id = mine.group_id
    where mine.user_id = ${callerId} and mine.role = 'admin' and theirs.user_id = ${users.id}))`;

/**
 * Force-password-change: a group admin manages its groups' members, but not
 * a global admin among them (that would lock the global admin out).
 */
export const forceablePasswordScope = (callerId: string) =>
  sql`(${managedUsersScope(callerId)} and (${viewerIsAdmin(callerId)} or not ${users.isAdmin}))`;

/**
 * The admin lists' scopes as two branches for one batch (see
 * src/policy/roles.ts): a global admin reads the whole table in index
 * order, a group admin the members of the groups it administers. The group
 * admin's scope is the join of its statement itself, from the caller's
 * admin memberships to those groups' members (`administeredUsersQuery`,
 * src/users/user-view.ts), as GET /api/users is from all of them.
 */
export const managedUserListBranches = (callerId: string, limit: number) =>
  [asGlobalAdmin(callerId, limit), asNonAdmin(callerId, limit)] as const;

/** Who may see a user's email: a global admin, themself, or an admin of a shared group. */
export const canSeeEmailOf = (caller: Caller, target: { id: string; groupIds: readonly string[] }) =>
  caller.isAdmin || caller.id === target.id || target.groupIds.some((id) => isGroupAdminOf(caller, id));

/**
 * Last admin: "No admin action may leave the system without an active global
 * admin." True unless `userId` is the only active global admin. The condition
 * is evaluated inside the statement that would break it, so it also holds
 * when two admins act at the same moment.
 */
export function keepsAnActiveAdmin(userId: string): SQL {
  return sql`not exists (
    select 1 from users t where t.id = ${userId} and t.is_admin and t.is_active
      and not exists (select 1 from users o where o.is_admin and o.is_active and o.id <> t.id))`;
}
