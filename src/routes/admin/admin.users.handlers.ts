import { replacedFeedToken } from '../../calendar/feed-token';
import { ApiError } from '../../errors';
import { afterResponse } from '../../lib/after-response';
import type { AppRouteHandler } from '../../lib/create-router';
import { decodeCursor, pageOf } from '../../lib/pagination';
import { publicUrl } from '../../lib/public-url';
import { publishDeletions } from '../../live/publish';
import { enqueueMail } from '../../mail';
import { sendSecurityNotice } from '../../mail/security-notice';
import { branchFor, keepsAnActiveAdmin, managedUserListBranches, viewerIsAdmin } from '../../policy';
import { assignToGroup, forcePasswordChangeOf, resetTwoFactorOf, setActivity } from '../../users/administration';
import { eraseUser, userErasureReads } from '../../users/erasure';
import { administeredUsersQuery, toUserView, UserKey, userKeyOf, usersAfter, userViewQuery } from '../../users/user-view';
import { asSeenBy, groupNotFound, userNotFound } from './admin.common';
import type * as routes from './admin.users.routes';

export const listManagedUsers: AppRouteHandler<typeof routes.listManagedUsers> = async (c) => {
  const { limit, cursor } = c.req.valid('query');
  const db = c.var.db;
  const key = cursor ? await decodeCursor(c.env.JWT_SECRET, 'admin-users', cursor, UserKey) : undefined;
  // The SQL scope alone decides who is listed (no second filter here that
  // could hide a regression in it); asSeenBy trims each user's groups.
  const [caller, adminRows, groupAdminRows] = await c.var.auth.check((me) => {
    const [asAdmin, asGroupAdmin] = managedUserListBranches(me, limit + 1);
    return [userViewQuery(db, usersAfter(key), asAdmin.limit), administeredUsersQuery(db, me, key, asGroupAdmin.limit)];
  });
  const { rows } = branchFor(caller, adminRows, groupAdminRows);
  const page = await pageOf(c, 'admin-users', rows, limit, userKeyOf);
  return c.json(
    page.map((row) => asSeenBy(caller, toUserView(row))),
    200,
  );
};

export const setUserStatus: AppRouteHandler<typeof routes.setUserStatus> = async (c) => {
  await c.var.auth.check();
  const { id } = c.req.valid('param');
  const { isActive } = c.req.valid('json');
  const { before, written, after } = await setActivity(c.var.db, id, isActive);
  if (!before) throw userNotFound();
  if (!written) throw new ApiError('last_admin', 'The last active global admin cannot be deactivated.');
  const user = toUserView(after!);
  if (isActive && !before.isActive) {
    afterResponse(
      c,
      enqueueMail(c.env, {
        to: user.email,
        template: 'account_activated',
        language: user.emailLanguage,
        data: { name: user.name, loginUrl: publicUrl(c) },
      }),
    );
  }
  return c.json(user, 200);
};

export const deleteUser: AppRouteHandler<typeof routes.deleteUser> = async (c) => {
  const { id } = c.req.valid('param');
  const db = c.var.db;
  // One trip: the token check with the erasure's reads, which read nothing
  // unless the caller is a global admin (refused before existence: 403).
  const guard = keepsAnActiveAdmin(id);
  const [, found, baked] = await c.var.auth.check((me) => userErasureReads(db, id, guard, viewerIsAdmin(me)));
  // The guard is checked again inside the erasing batch: two admins deleting
  // each other at once cannot both succeed.
  const erasure = await eraseUser(db, c.env.PHOTOS, id, { guard, reads: [found, baked] });
  if (erasure.outcome === 'missing') throw userNotFound();
  if (erasure.outcome === 'refused') throw new ApiError('last_admin', 'The last active global admin cannot be deleted.');
  // Committed: the upcoming events that went with the account leave their groups' live streams.
  afterResponse(c, publishDeletions(c.env, erasure.deletedEvents, publicUrl(c)));
  return c.json({ message: 'User deleted.' }, 200);
};

export const assignGroup: AppRouteHandler<typeof routes.assignGroup> = async (c) => {
  await c.var.auth.check();
  const { userId, groupId } = c.req.valid('json');
  const { userFound, groupFound, after } = await assignToGroup(c.var.db, userId, groupId);
  if (!userFound) throw userNotFound();
  if (!groupFound) throw groupNotFound();
  return c.json(toUserView(after!), 200);
};

export const forcePasswordChange: AppRouteHandler<typeof routes.forcePasswordChange> = async (c) => {
  const [caller] = await c.var.auth.check();
  const { userId, mustChange } = c.req.valid('json');
  // A user outside the caller's groups is invisible to it: "no such user"
  // and "not yours" are the same 404. A global admin in the caller's group
  // is visible but not its to force: 403.
  const change = mustChange ? { mustChange, feedToken: await replacedFeedToken(c.env.JWT_SECRET, userId) } : { mustChange };
  const { forced, managed, after } = await forcePasswordChangeOf(c.var.db, caller.id, userId, change);
  if (!forced) {
    if (!managed) throw userNotFound();
    throw new ApiError('forbidden', 'Only a global admin may force a global admin to change their password.');
  }
  if (mustChange) sendSecurityNotice(c, forced, 'password_change_forced');
  return c.json(asSeenBy(caller, toUserView(after!)), 200);
};

export const resetTwoFactor: AppRouteHandler<typeof routes.resetTwoFactor> = async (c) => {
  const [caller] = await c.var.auth.check();
  const { id } = c.req.valid('param');
  const { cleared, after } = await resetTwoFactorOf(c.var.db, id);
  if (!after) throw userNotFound();
  if (!cleared) throw new ApiError('conflict', 'This user has no two-factor authentication.');
  sendSecurityNotice(c, cleared, 'two_factor_reset');
  return c.json(asSeenBy(caller, toUserView(after)), 200);
};
