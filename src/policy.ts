/**
 * Every "who may" rule of the API in one place. Handlers ask here and throw
 * what the answer implies; the rules are tested in test/policy.test.ts.
 *
 * Convention: a rule returns true/false. "Authorization before existence":
 * routes a caller may not use at all are refused with 403 before any lookup.
 */
import { sql } from 'drizzle-orm';
import type { Caller } from './auth/caller';
import { groups, users } from './db/schema';
import { ApiError } from './errors';
import { asGlobalAdmin, asNonAdmin, viewerIsAdmin } from './events/visibility';

export const isMemberOf = (caller: Caller, groupId: string) => caller.groups.some((g) => g.id === groupId);

export const isGroupAdminOf = (caller: Caller, groupId: string) =>
  caller.groups.some((g) => g.id === groupId && g.role === 'admin');

/** Administers at least one group (may open the admin panel). */
export const isAnyGroupAdmin = (caller: Caller) => caller.groups.some((g) => g.role === 'admin');

/** Only members create events in a group (global admins included: they bake as members). */
export const canCreateEventIn = (caller: Caller, groupId: string) => isMemberOf(caller, groupId);

/** The baker while upcoming, an admin of the group, or a global admin. */
export function canDeleteEvent(
  caller: Caller,
  event: { groupId: string; bakerId: string | null },
  isUpcoming: boolean,
): boolean {
  if (caller.isAdmin || isGroupAdminOf(caller, event.groupId)) return true;
  return event.bakerId === caller.id && isUpcoming;
}

/** A group member other than the baker (the date rule is checked separately: 409 not_yet). */
export const canRateEvent = (caller: Caller, event: { groupId: string; bakerId: string | null }) =>
  isMemberOf(caller, event.groupId) && event.bakerId !== caller.id;

/** Gallery photos come from the group's members (one each). */
export const canAddPhotoTo = (caller: Caller, event: { groupId: string }) => isMemberOf(caller, event.groupId);

/** Admin routes: a global admin, or (where the route allows it) a group admin. */
export function requireGlobalAdmin(caller: Caller): void {
  if (!caller.isAdmin) throw new ApiError('forbidden', 'Only a global administrator may do this.');
}

export function requireAnyAdmin(caller: Caller): void {
  if (!caller.isAdmin && !isAnyGroupAdmin(caller)) {
    throw new ApiError('forbidden', 'Only an administrator may do this.');
  }
}

/**
 * The admin panel's scope: a global admin manages every group and user, a
 * group admin the groups it administers and their members.
 */
export const canManageGroup = (caller: Caller, groupId: string) => caller.isAdmin || isGroupAdminOf(caller, groupId);

export const canManageUser = (caller: Caller, targetGroupIds: readonly string[]) =>
  caller.isAdmin || targetGroupIds.some((id) => isGroupAdminOf(caller, id));

/** Removing a member: a global admin, or an admin of that group. */
export const canRemoveMember = canManageGroup;

/**
 * Which of a managed user's groups the caller sees in the admin panel: all
 * for a global admin, only the administered ones for a group admin (another
 * group's data is never revealed).
 */
export const visibleGroupsOf = <G extends { id: string }>(caller: Caller, groups: readonly G[]): G[] =>
  caller.isAdmin ? [...groups] : groups.filter((g) => isGroupAdminOf(caller, g.id));

/**
 * The same scope as SQL conditions, for statements that run in one batch
 * with the token check (the caller's flags are not loaded yet, only its id):
 * this one for writes about one user, the branches below for the admin
 * lists. Both must match `canManageUser` / `canManageGroup` exactly (tested
 * in test/admin).
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
 * src/events/visibility.ts): a global admin reads the whole table in index
 * order, a group admin the members (groups) of the groups it administers.
 */
export const managedUserListBranches = (callerId: string, limit: number) =>
  [
    asGlobalAdmin(callerId, limit),
    asNonAdmin(
      callerId,
      limit,
      sql`${users.id} in (select theirs.user_id from memberships mine join memberships theirs on theirs.group_id = mine.group_id
        where mine.user_id = ${callerId} and mine.role = 'admin')`,
    ),
  ] as const;

export const managedGroupListBranches = (callerId: string, limit: number) =>
  [
    asGlobalAdmin(callerId, limit),
    asNonAdmin(callerId, limit, sql`${groups.id} in (select mine.group_id from memberships mine where mine.user_id = ${callerId} and mine.role = 'admin')`),
  ] as const;

/** Who may see a user's email: a global admin, themself, or an admin of a shared group. */
export const canSeeEmailOf = (caller: Caller, target: { id: string; groupIds: readonly string[] }) =>
  caller.isAdmin || caller.id === target.id || target.groupIds.some((id) => isGroupAdminOf(caller, id));
