import { and, eq, exists, isNotNull, sql } from 'drizzle-orm';
import { dropRecoveryCodes } from '../../auth/recovery-codes';
import { groups, memberships, users, type Role } from '../../db/schema';
import { ApiError } from '../../errors';
import { publicUrl } from '../../lib/public-url';
import { publishDeletions } from '../../live/publish';
import { replacedFeedToken } from '../../calendar/feed-token';
import { enqueueMail } from '../../mail';
import { sendSecurityNotice } from '../../mail/security-notice';
import { decodeCursor, pageOf } from '../../lib/pagination';
import { branchFor, forceablePasswordScope, keepsAnActiveAdmin, managedUserListBranches, managedUsersScope, viewerIsAdmin } from '../../policy';
import { eraseUser, userErasureReads } from '../../users/erasure';
import { administeredUsersQuery, toUserView, UserKey, userKeyOf, usersAfter, userViewQuery } from '../../users/user-view';
import { asSeenBy, groupNotFound, userNotFound } from './admin.common';
import type * as routes from './admin.users.routes';
import type { AppRouteHandler } from '../../lib/create-router';
import { afterResponse } from '../../lib/after-response';

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
  const { id } = c.req.valid('param');
  const { isActive } = c.req.valid('json');
  const db = c.var.db;

  // One batch: the state before (404, and whether this activates), the
  // guarded write, the result. Deactivation revokes tokens (version bump) and
  // may not remove the last active global admin.
  const [[before], updated, rows] = await db.batch([
    db.select({ isActive: users.isActive }).from(users).where(eq(users.id, id)).limit(1),
    db
      .update(users)
      .set(isActive ? { isActive: true } : { isActive: false, tokenVersion: sql`${users.tokenVersion} + 1` })
      .where(isActive ? eq(users.id, id) : and(eq(users.id, id), keepsAnActiveAdmin(id)))
      .returning({ id: users.id }),
    userViewQuery(db, eq(users.id, id)),
  ]);
  if (!before) throw userNotFound();
  if (updated.length === 0) throw new ApiError('last_admin', 'The last active global admin cannot be deactivated.');
  const user = toUserView(rows[0]!);

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
  afterResponse(c, publishDeletions(c.env, erasure.deletedEvents));
  return c.json({ message: 'User deleted.' }, 200);
};

export const assignGroup: AppRouteHandler<typeof routes.assignGroup> = async (c) => {
  const { userId, groupId } = c.req.valid('json');
  const db = c.var.db;
  const userRow = db.select({ id: users.id }).from(users).where(eq(users.id, userId)).limit(1);

  if (groupId === null) {
    // Nothing to write for an unknown user: the writes match no row.
    const [[user], , , rows] = await db.batch([
      userRow,
      db.delete(memberships).where(eq(memberships.userId, userId)),
      db.update(users).set({ primaryGroupId: null }).where(eq(users.id, userId)),
      userViewQuery(db, eq(users.id, userId)),
    ]);
    if (!user) throw userNotFound();
    return c.json(toUserView(rows[0]!), 200);
  }

  // One batch: the writes only touch rows when both the user and the group
  // exist, and the existence reads tell which 404 it is otherwise.
  const groupRow = db.select({ id: groups.id }).from(groups).where(eq(groups.id, groupId)).limit(1);
  const joinedAt = new Date().toISOString();
  const [[user], [group], , , rows] = await db.batch([
    userRow,
    groupRow,
    db
      .insert(memberships)
      .select((qb) =>
        qb
          .select({
            userId: users.id,
            groupId: groups.id,
            role: sql<Role>`'member'`.as('role'),
            joinedAt: sql<string>`${joinedAt}`.as('created_at'),
          })
          .from(users)
          .innerJoin(groups, eq(groups.id, groupId))
          .where(eq(users.id, userId)),
      )
      .onConflictDoNothing(),
    db
      .update(users)
      .set({ primaryGroupId: groupId })
      .where(and(eq(users.id, userId), exists(groupRow))),
    userViewQuery(db, eq(users.id, userId)),
  ]);
  if (!user) throw userNotFound();
  if (!group) throw groupNotFound();
  return c.json(toUserView(rows[0]!), 200);
};

export const forcePasswordChange: AppRouteHandler<typeof routes.forcePasswordChange> = async (c) => {
  const [caller] = await c.var.auth.check();
  const { userId, mustChange } = c.req.valid('json');
  const db = c.var.db;

  // A user outside the caller's groups is invisible to it: the scope is part
  // of the UPDATE, so "no such user" and "not yours" are the same 404. A
  // global admin in the caller's group is visible but not its to force: 403.
  const [updated, rows, managed] = await db.batch([
    db
      .update(users)
      .set(
        mustChange
          ? {
              mustChangePassword: true,
              tokenVersion: sql`${users.tokenVersion} + 1`,
              ...(await replacedFeedToken(c.env.JWT_SECRET, userId)),
            }
          : { mustChangePassword: false },
      )
      .where(and(eq(users.id, userId), forceablePasswordScope(caller.id)))
      .returning({ id: users.id, email: users.email, name: users.name, emailLanguage: users.emailLanguage }),
    userViewQuery(db, eq(users.id, userId)),
    db.select({ id: users.id }).from(users).where(and(eq(users.id, userId), managedUsersScope(caller.id))),
  ]);
  if (updated.length === 0) {
    if (managed.length === 0) throw userNotFound();
    throw new ApiError('forbidden', 'Only a global admin may force a global admin to change their password.');
  }
  if (mustChange) sendSecurityNotice(c, updated[0]!, 'password_change_forced');
  return c.json(asSeenBy(caller, toUserView(rows[0]!)), 200);
};

export const resetTwoFactor: AppRouteHandler<typeof routes.resetTwoFactor> = async (c) => {
  const { id } = c.req.valid('param');
  const db = c.var.db;
  const [cleared, rows] = await db.batch([
    db
      .update(users)
      .set({ totpSecret: null, totpPendingSecret: null, tokenVersion: sql`${users.tokenVersion} + 1` })
      .where(and(eq(users.id, id), isNotNull(users.totpSecret)))
      .returning({ email: users.email, name: users.name, emailLanguage: users.emailLanguage }),
    userViewQuery(db, eq(users.id, id)),
    // Only a user without 2FA is left with codes removed here, and such a user has none.
    dropRecoveryCodes(db, id),
  ]);
  if (!rows[0]) throw userNotFound();
  if (!cleared[0]) throw new ApiError('conflict', 'This user has no two-factor authentication.');
  sendSecurityNotice(c, cleared[0], 'two_factor_reset');
  const [caller] = await c.var.auth.check();
  return c.json(asSeenBy(caller, toUserView(rows[0])), 200);
};
