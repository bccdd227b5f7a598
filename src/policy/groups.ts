/** Groups: which ones an admin manages and sees, and who may remove a member (predicates and their SQL twin). */
import { sql } from 'drizzle-orm';
import type { Caller } from '../auth/caller';
import { groups } from '../db/schema';
import { asGlobalAdmin, asNonAdmin, isGroupAdminOf } from './roles';

/**
 * The admin panel's scope: a global admin manages every group and user, a
 * group admin the groups it administers and their members.
 */
export const canManageGroup = (caller: Caller, groupId: string) => caller.isAdmin || isGroupAdminOf(caller, groupId);

/** Removing a member: a global admin, or an admin of that group. */
export const canRemoveMember = (caller: Caller, groupId: string) => canManageGroup(caller, groupId);

/**
 * Which of a managed user's groups the caller sees in the admin panel: all
 * for a global admin, only the administered ones for a group admin (another
 * group's data is never revealed).
 */
export const visibleGroupsOf = <G extends { id: string }>(caller: Caller, groups: readonly G[]): G[] =>
  caller.isAdmin ? [...groups] : groups.filter((g) => isGroupAdminOf(caller, g.id));

export const managedGroupListBranches = (callerId: string, limit: number) =>
  [
    asGlobalAdmin(callerId, limit),
    asNonAdmin(
      callerId,
      limit,
      sql`${groups.id} in (select mine.group_id from memberships mine where mine.user_id = ${callerId} and mine.role = 'admin')`,
    ),
  ] as const;
