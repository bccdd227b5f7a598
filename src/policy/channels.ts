/**
 * Channels: a group's admins and the global admins manage them. A member of
 * the group who is not its admin is refused (403); anyone else is told the
 * group or channel does not exist (404), as for planning.
 */
import type { Caller } from '../auth/caller';
import { ApiError } from '../errors';
import { canManageGroup } from './groups';
import { isMemberOf } from './roles';

const canManageChannelsOf = (caller: Caller, groupId: string) => canManageGroup(caller, groupId);

/** Throws what the caller is told when it may not manage `groupId`'s channels: `notFound` unless it is a member. */
export function requireChannelManager(caller: Caller, groupId: string, notFound: () => ApiError): void {
  if (canManageChannelsOf(caller, groupId)) return;
  if (isMemberOf(caller, groupId))
    throw new ApiError('forbidden', 'Only a global admin or an admin of this group manages its channels.');
  throw notFound();
}
