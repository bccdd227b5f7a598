import { z } from '@hono/zod-openapi';
import type { Caller } from '../../auth/caller';
import { ApiError } from '../../errors';
import { bearerAuth } from '../../lib/openapi';
import { visibleGroupsOf } from '../../policy';
import type { UserView } from '../../users/user-view';

export const adminTags = { tags: ['Admin'], security: bearerAuth };

export const RefId = z.string().min(1).max(64);

export const userNotFound = () => new ApiError('not_found', 'No such user.');
export const groupNotFound = () => new ApiError('not_found', 'No such group.');

/**
 * A managed user as the caller may see it: a group admin sees only the
 * memberships in groups it administers, and the primary group among those.
 */
export function asSeenBy(caller: Caller, user: UserView): UserView {
  if (caller.isAdmin) return user;
  const groups = visibleGroupsOf(caller, user.groups);
  const primary = groups.find((g) => g.id === user.groupId) ?? groups[0] ?? null;
  return { ...user, groups, groupId: primary?.id ?? null, groupRole: primary?.role ?? null };
}
