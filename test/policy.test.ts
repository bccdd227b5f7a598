import { describe, expect, it } from 'vitest';
import type { Caller } from '../src/auth/caller';
import {
  canAddPhotoTo,
  canAnswerAssignment,
  canAssignIn,
  canCreateEventIn,
  canDeleteEvent,
  canManageGroup,
  canRateEvent,
  canRemoveMember,
  canSeeAssignment,
  canSeeEmailOf,
  canSeeGroupHandovers,
  canSeePlanningOf,
  canTakeHandover,
  canWithdrawAssignment,
  canWithdrawHandover,
  isAnyGroupAdmin,
  isBakerOf,
  isGroupAdminOf,
  isMemberOf,
  requireAnyAdmin,
  requireGlobalAdmin,
  visibleGroupsOf,
} from '../src/policy';

const caller = (overrides: Partial<Caller> = {}): Caller => ({
  id: 'me',
  name: 'Me',
  isAdmin: false,
  mustChangePassword: false,
  language: 'en',
  groups: [],
  tokenVersion: 0,
  ...overrides,
});

const globalAdmin = caller({ isAdmin: true });
const adminOfA = caller({
  groups: [
    { id: 'A', role: 'admin' },
    { id: 'B', role: 'member' },
  ],
});
const memberOfA = caller({ groups: [{ id: 'A', role: 'member' }] });
const loner = caller();

describe('membership facts', () => {
  it('tells members from admins per group', () => {
    expect(isMemberOf(adminOfA, 'A')).toBe(true);
    expect(isMemberOf(adminOfA, 'B')).toBe(true);
    expect(isMemberOf(adminOfA, 'C')).toBe(false);
    expect(isGroupAdminOf(adminOfA, 'A')).toBe(true);
    expect(isGroupAdminOf(adminOfA, 'B')).toBe(false);
    expect(isAnyGroupAdmin(adminOfA)).toBe(true);
    expect(isAnyGroupAdmin(memberOfA)).toBe(false);
  });
});

describe('admin routes', () => {
  it('global-admin routes refuse everyone else with 403', () => {
    expect(() => requireGlobalAdmin(globalAdmin)).not.toThrow();
    for (const c of [adminOfA, memberOfA, loner]) {
      expect(() => requireGlobalAdmin(c)).toThrow(expect.objectContaining({ code: 'forbidden', status: 403 }));
    }
  });

  it('the admin panel admits global and group admins only', () => {
    expect(() => requireAnyAdmin(globalAdmin)).not.toThrow();
    expect(() => requireAnyAdmin(adminOfA)).not.toThrow();
    expect(() => requireAnyAdmin(memberOfA)).toThrow(expect.objectContaining({ code: 'forbidden' }));
    expect(() => requireAnyAdmin(loner)).toThrow(expect.objectContaining({ code: 'forbidden' }));
  });

  it.each([
    ['global admin, any group', globalAdmin, 'Z', true],
    ['group admin, its group', adminOfA, 'A', true],
    ['group admin, a group it only belongs to', adminOfA, 'B', false],
    ['group admin, another group', adminOfA, 'C', false],
    ['member', memberOfA, 'A', false],
  ] as const)('manages a group / removes its members: %s', (_, who, groupId, allowed) => {
    expect(canManageGroup(who, groupId)).toBe(allowed);
    expect(canRemoveMember(who, groupId)).toBe(allowed);
  });

  it('a group admin sees only the administered groups of a user', () => {
    const groups = [
      { id: 'A', name: 'a' },
      { id: 'B', name: 'b' },
      { id: 'C', name: 'c' },
    ];
    expect(visibleGroupsOf(globalAdmin, groups)).toEqual(groups);
    expect(visibleGroupsOf(adminOfA, groups)).toEqual([{ id: 'A', name: 'a' }]);
    expect(visibleGroupsOf(memberOfA, groups)).toEqual([]);
  });
});

describe('groups and events', () => {
  it('only members create events, global admins included only as members', () => {
    expect(canCreateEventIn(memberOfA, 'A')).toBe(true);
    expect(canCreateEventIn(globalAdmin, 'A')).toBe(false);
    expect(canCreateEventIn(memberOfA, 'B')).toBe(false);
  });

  it('deleting an event: the baker while upcoming, group admins and global admins always', () => {
    const mine = { groupId: 'A', bakerId: 'me' };
    const theirs = { groupId: 'A', bakerId: 'other' };
    expect(canDeleteEvent(memberOfA, mine, true)).toBe(true);
    expect(canDeleteEvent(memberOfA, mine, false)).toBe(false);
    expect(canDeleteEvent(memberOfA, theirs, true)).toBe(false);
    expect(canDeleteEvent(adminOfA, theirs, false)).toBe(true);
    expect(canDeleteEvent(globalAdmin, { groupId: 'Z', bakerId: null }, false)).toBe(true);
  });

  it('rating: members other than the baker', () => {
    expect(canRateEvent(memberOfA, { groupId: 'A', bakerId: 'other' })).toBe(true);
    expect(canRateEvent(memberOfA, { groupId: 'A', bakerId: 'me' })).toBe(false);
    expect(canRateEvent(memberOfA, { groupId: 'B', bakerId: 'other' })).toBe(false);
    expect(canRateEvent(globalAdmin, { groupId: 'A', bakerId: 'other' })).toBe(false);
  });

  it('gallery photos: members of the event group only', () => {
    expect(canAddPhotoTo(memberOfA, { groupId: 'A' })).toBe(true);
    expect(canAddPhotoTo(adminOfA, { groupId: 'B' })).toBe(true);
    expect(canAddPhotoTo(memberOfA, { groupId: 'B' })).toBe(false);
    expect(canAddPhotoTo(globalAdmin, { groupId: 'A' })).toBe(false);
  });

  it('emails are seen by global admins, the user themself and admins of a shared group', () => {
    expect(canSeeEmailOf(globalAdmin, { id: 'x', groupIds: [] })).toBe(true);
    expect(canSeeEmailOf(memberOfA, { id: 'me', groupIds: [] })).toBe(true);
    expect(canSeeEmailOf(adminOfA, { id: 'x', groupIds: ['A'] })).toBe(true);
    expect(canSeeEmailOf(adminOfA, { id: 'x', groupIds: ['B'] })).toBe(false);
    expect(canSeeEmailOf(memberOfA, { id: 'x', groupIds: ['A'] })).toBe(false);
  });
});

describe('assignments', () => {
  const annasInA = { groupId: 'A', userId: 'anna' };
  const mineInC = { groupId: 'C', userId: 'me' };

  it('seen by the assignee, the group’s members and global admins; anyone else is told it does not exist', () => {
    expect(canSeeAssignment(memberOfA, annasInA)).toBe(true);
    expect(canSeeAssignment(globalAdmin, annasInA)).toBe(true);
    expect(canSeeAssignment(loner, mineInC)).toBe(true);
    expect(canSeeAssignment(loner, annasInA)).toBe(false);
    expect(canSeeAssignment(adminOfA, { groupId: 'C', userId: 'anna' })).toBe(false);
  });

  it('a group’s planning is seen by its members and global admins only', () => {
    expect(canSeePlanningOf(memberOfA, 'A')).toBe(true);
    expect(canSeePlanningOf(globalAdmin, 'C')).toBe(true);
    expect(canSeePlanningOf(adminOfA, 'C')).toBe(false);
    expect(canSeePlanningOf(loner, 'A')).toBe(false);
  });

  it('answered by the assignee alone, admins included', () => {
    expect(canAnswerAssignment(loner, mineInC)).toBe(true);
    expect(canAnswerAssignment(adminOfA, annasInA)).toBe(false);
    expect(canAnswerAssignment(globalAdmin, annasInA)).toBe(false);
  });

  it('assigned and withdrawn by a global admin or an admin of the group', () => {
    expect(canAssignIn(adminOfA, 'A')).toBe(true);
    expect(canAssignIn(adminOfA, 'B')).toBe(false);
    expect(canAssignIn(globalAdmin, 'C')).toBe(true);
    expect(canAssignIn(memberOfA, 'A')).toBe(false);
    expect(canWithdrawAssignment(adminOfA, annasInA)).toBe(true);
    expect(canWithdrawAssignment(memberOfA, annasInA)).toBe(false);
    expect(canWithdrawAssignment(loner, mineInC)).toBe(false);
  });
});

describe('hand-overs and swaps', () => {
  it('lets members and global admins see a group’s offers', () => {
    expect(canSeeGroupHandovers(memberOfA, 'A')).toBe(true);
    expect(canSeeGroupHandovers(globalAdmin, 'A')).toBe(true);
    expect(canSeeGroupHandovers(memberOfA, 'B')).toBe(false);
    expect(canSeeGroupHandovers(loner, 'A')).toBe(false);
  });

  it('lets only the baker offer or ask to swap', () => {
    expect(isBakerOf(memberOfA, { bakerId: 'me' })).toBe(true);
    expect(isBakerOf(memberOfA, { bakerId: 'someone' })).toBe(false);
    expect(isBakerOf(globalAdmin, { bakerId: null })).toBe(false);
  });

  it('lets members of the group take, not a global admin outside it', () => {
    expect(canTakeHandover(memberOfA, { groupId: 'A' })).toBe(true);
    expect(canTakeHandover(globalAdmin, { groupId: 'A' })).toBe(false);
    expect(canTakeHandover(adminOfA, { groupId: 'C' })).toBe(false);
  });

  it('lets the offerer, an admin of the group and a global admin withdraw', () => {
    expect(canWithdrawHandover(memberOfA, { groupId: 'A', offeredById: 'me' })).toBe(true);
    expect(canWithdrawHandover(memberOfA, { groupId: 'A', offeredById: 'someone' })).toBe(false);
    expect(canWithdrawHandover(adminOfA, { groupId: 'A', offeredById: 'someone' })).toBe(true);
    expect(canWithdrawHandover(adminOfA, { groupId: 'B', offeredById: 'someone' })).toBe(false);
    expect(canWithdrawHandover(globalAdmin, { groupId: 'C', offeredById: 'someone' })).toBe(true);
  });
});
