import { and, eq, isNull, sql } from 'drizzle-orm';
import { issueToken } from '../../auth/jwt';
import { hashPassword } from '../../auth/password';
import { accountCheckQuery, requireStepUp } from '../../auth/step-up';
import { replacedFeedToken } from '../../calendar/feed-token';
import { temporaryPasswords, users } from '../../db/schema';
import { ApiError } from '../../errors';
import { profileColumns } from '../../events/dietary';
import { afterResponse } from '../../lib/after-response';
import type { AppRouteHandler } from '../../lib/create-router';
import { decodeCursor, pageOf } from '../../lib/pagination';
import { publicUrl } from '../../lib/public-url';
import { publishDeletions } from '../../live/publish';
import { sendSecurityNotice } from '../../mail/security-notice';
import { branchFor, canSeeEmailOf, keepsAnActiveAdmin } from '../../policy';
import { eraseUser, userErasureReads } from '../../users/erasure';
import { ownUserViewQuery, toOwnUserView, toUserView, UserKey, userKeyOf } from '../../users/user-view';
import { ownGroupsQuery, type SharedGroup, visibleUsersQueries } from '../../users/visible-users';
import type * as routes from './user.routes';

export const getOwnProfile: AppRouteHandler<typeof routes.getOwnProfile> = async (c) => {
  const db = c.var.db;
  const [, rows] = await c.var.auth.check((me) => [ownUserViewQuery(db, me)]);
  return c.json(toOwnUserView(rows[0]!), 200);
};

export const listVisibleUsers: AppRouteHandler<typeof routes.listVisibleUsers> = async (c) => {
  const { limit, cursor } = c.req.valid('query');
  const db = c.var.db;
  const key = cursor ? await decodeCursor(c.env.JWT_SECRET, 'users', cursor, UserKey) : undefined;
  const [caller, everyone, members] = await c.var.auth.check((me) => visibleUsersQueries(db, me, key, limit + 1));
  const branch = branchFor(caller, everyone, members);
  if (branch.admin) return c.json((await pageOf(c, 'users', branch.rows, limit, userKeyOf)).map(toUserView), 200);

  const page = await pageOf(c, 'users', branch.rows, limit, userKeyOf);
  const reduced = page.map((row) => {
    // By id, as a member's memberships are keyed (the aggregate keeps no order).
    const groups = (JSON.parse(row.shared) as SharedGroup[]).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const showEmail = canSeeEmailOf(caller, { id: row.id, groupIds: groups.map((g) => g.id) });
    return { id: row.id, name: row.name, ...(showEmail ? { email: row.email } : {}), groups };
  });
  return c.json(reduced, 200);
};

export const listOwnGroups: AppRouteHandler<typeof routes.listOwnGroups> = async (c) => {
  const [, rows] = await c.var.auth.check((me) => [ownGroupsQuery(c.var.db, me)]);
  return c.json(rows, 200);
};

export const changePassword: AppRouteHandler<typeof routes.changePassword> = async (c) => {
  const { newPassword, currentPassword } = c.req.valid('json');
  const db = c.var.db;
  // The stored hash rides with the token check: two round trips in all.
  const [caller, [account]] = await c.var.auth.check((me) => [accountCheckQuery(db, me)]);

  // A stolen token alone must not take over the account: without the current
  // password, only a fresh sign-in may set a new one (forced change included).
  const authTime = await requireStepUp(c, caller, {
    password: currentPassword,
    field: 'currentPassword',
    account,
    wrong: 'The current password is wrong.',
  });

  const passwordHash = await hashPassword(newPassword);
  const now = new Date().toISOString();
  const [updated] = await db.batch([
    db
      .update(users)
      .set({
        passwordHash,
        mustChangePassword: false,
        // Every other session ends; this one is kept, as the web app goes on using its token.
        tokenVersion: sql`${users.tokenVersion} + 1`,
        keptSessionId: caller.sessionId ?? null,
        ...(await replacedFeedToken(c.env.JWT_SECRET, caller.id)),
      })
      // Only from the session that was checked: a token revoked meanwhile changes nothing.
      .where(and(eq(users.id, caller.id), eq(users.tokenVersion, caller.tokenVersion), eq(users.isActive, true)))
      .returning({ tokenVersion: users.tokenVersion }),
    // Temporary passwords still out in mails die with the change.
    db
      .update(temporaryPasswords)
      .set({ usedAt: now })
      .where(and(eq(temporaryPasswords.userId, caller.id), isNull(temporaryPasswords.usedAt))),
  ]);
  if (!updated[0]) throw new ApiError('invalid_token');
  sendSecurityNotice(c, account!, 'password_changed');
  const claims = { sub: caller.id, tv: updated[0].tokenVersion, auth_time: authTime };
  return c.json(await issueToken(c.env.JWT_SECRET, claims), 200);
};

export const updateSettings: AppRouteHandler<typeof routes.updateSettings> = async (c) => {
  const [caller] = await c.var.auth.check();
  const body = c.req.valid('json');
  const db = c.var.db;
  const change: Partial<typeof users.$inferInsert> = {};
  if (body.language) change.language = body.language;
  const emailLanguage = body.emailLanguage ?? body.languageEmail;
  if (emailLanguage) change.emailLanguage = emailLanguage;
  if (body.dietary) Object.assign(change, profileColumns(body.dietary));

  const view = ownUserViewQuery(db, caller.id);
  const rows =
    Object.keys(change).length > 0
      ? (await db.batch([db.update(users).set(change).where(eq(users.id, caller.id)), view]))[1]
      : await view;
  return c.json(toOwnUserView(rows[0]!), 200);
};

export const deleteAccount: AppRouteHandler<typeof routes.deleteAccount> = async (c) => {
  const { password } = c.req.valid('json');
  const db = c.var.db;
  // Two trips in all: the token check with the password hash and the erasure's reads, then the erasing batch.
  const [caller, [account], found, baked] = await c.var.auth.check((me) => [
    accountCheckQuery(db, me),
    ...userErasureReads(db, me, keepsAnActiveAdmin(me)),
  ]);
  await requireStepUp(c, caller, { password, field: 'password', account });

  // Deleting the row ends every token; the guard inside the erasing batch keeps
  // two admins deleting themselves at once from both passing.
  const erasure = await eraseUser(db, c.env.PHOTOS, caller.id, { guard: keepsAnActiveAdmin(caller.id), reads: [found, baked] });
  // Deleted meanwhile (a concurrent request): the token speaks for no account any more.
  if (erasure.outcome === 'missing') throw new ApiError('invalid_token');
  if (erasure.outcome === 'refused')
    throw new ApiError('last_admin', 'The last active global admin cannot delete their account.');
  // Committed: the upcoming events that went with the account leave their groups' live streams.
  afterResponse(c, publishDeletions(c.env, erasure.deletedEvents, publicUrl(c)));
  return c.json({ message: 'Your account and its data have been deleted.' }, 200);
};
