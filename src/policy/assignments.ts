/**
 * Assignments: who sees one (the assignee, the group's members, global
 * admins; anyone else is told it does not exist), who answers it (the
 * assignee alone) and who assigns or withdraws (a global admin, or an
 * admin of the group). A member who may not act gets 403.
 */
import type { Caller } from '../auth/caller';
import { canManageGroup } from './groups';
import { isMemberOf } from './roles';

interface AssignmentRef {
  groupId: string;
  userId: string;
}

/** A group's planning (schedule, cake days, rotation) is for its members and global admins; anyone else gets 404. */
export const canSeePlanningOf = (caller: Caller, groupId: string) => caller.isAdmin || isMemberOf(caller, groupId);

export const canSeeAssignment = (caller: Caller, a: AssignmentRef) =>
  caller.isAdmin || a.userId === caller.id || isMemberOf(caller, a.groupId);

export const canAnswerAssignment = (caller: Caller, a: AssignmentRef) => a.userId === caller.id;

export const canAssignIn = (caller: Caller, groupId: string) => canManageGroup(caller, groupId);

export const canWithdrawAssignment = (caller: Caller, a: AssignmentRef) => canManageGroup(caller, a.groupId);
