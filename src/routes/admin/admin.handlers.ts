import type { RouteHandler } from '@hono/zod-openapi';
import { and, eq, sql } from 'drizzle-orm';
import { isUniqueViolation } from '../../db/errors';
import { groups, memberships, users } from '../../db/schema';
import type { HonoEnv } from '../../env';
import { ApiError } from '../../errors';
import { groupViewQuery } from '../../groups/group-view';
import { enqueueMail } from '../../mail';
import { requireGlobalAdmin } from '../../policy';
import { toUserView, userViewQuery } from '../../users/user-view';
import { publicUrl } from '../../lib/public-url';
import type { assignGroup, createGroup, setRole, setUserStatus } from './admin.routes';

const userNotFound = () => new ApiError('not_found', 'No such user.');

export const putUserStatus: RouteHandler<typeof setUserStatus, HonoEnv> = async (c) => {
  requireGlobalAdmin(c.var.caller);
  const { id } = c.req.valid('param');
  const { isActive } = c.req.valid('json');
  const db = c.var.db;

  // Deactivation revokes tokens (version bump) and may not remove the last
  // active global admin: the guard is inside the UPDATE, so it holds under races.
  const lastAdminGuard = sql`not (${users.isAdmin} and ${users.isActive} and not exists (
      select 1 from users o where o.is_admin and o.is_active and o.id <> ${users.id}))`;
  const [before] = await db.select({ isActive: users.isActive }).from(users).where(eq(users.id, id)).limit(1);
  if (!before) throw userNotFound();

  const [updated, rows] = await db.batch([
    db
      .update(users)
      .set(isActive ? { isActive: true } : { isActive: false, tokenVersion: sql`${users.tokenVersion} + 1` })
      .where(isActive ? eq(users.id, id) : and(eq(users.id, id), lastAdminGuard))
      .returning({ id: users.id }),
    userViewQuery(db, eq(users.id, id)),
  ]);
  if (updated.length === 0) throw new ApiError('last_admin', 'The last active global admin cannot be deactivated.');
  const user = toUserView(rows[0]!);

  if (isActive && !before.isActive) {
    c.executionCtx.waitUntil(
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

export const postGroup: RouteHandler<typeof createGroup, HonoEnv> = async (c) => {
  requireGlobalAdmin(c.var.caller);
  const body = c.req.valid('json');
  const db = c.var.db;
  const id = crypto.randomUUID();
  const [, rows] = await db
    .batch([
      db.insert(groups).values({ id, name: body.name, description: body.description ?? '', timeZone: body.timeZone }),
      groupViewQuery(db, eq(groups.id, id)),
    ])
    .catch((error) => {
      if (isUniqueViolation(error)) throw new ApiError('name_taken', 'A group with this name exists.');
      throw error;
    });
  return c.json(rows[0]!, 201);
};

export const postAssignGroup: RouteHandler<typeof assignGroup, HonoEnv> = async (c) => {
  requireGlobalAdmin(c.var.caller);
  const { userId, groupId } = c.req.valid('json');
  const db = c.var.db;

  const [[user], [group]] = await db.batch([
    db.select({ id: users.id }).from(users).where(eq(users.id, userId)).limit(1),
    db.select({ id: groups.id }).from(groups).where(eq(groups.id, groupId ?? '')).limit(1),
  ]);
  if (!user) throw userNotFound();
  if (groupId !== null && !group) throw new ApiError('not_found', 'No such group.');

  const [, , rows] =
    groupId === null
      ? await db.batch([
          db.delete(memberships).where(eq(memberships.userId, userId)),
          db.update(users).set({ primaryGroupId: null }).where(eq(users.id, userId)),
          userViewQuery(db, eq(users.id, userId)),
        ])
      : await db.batch([
          db.insert(memberships).values({ userId, groupId, role: 'member' }).onConflictDoNothing(),
          db.update(users).set({ primaryGroupId: groupId }).where(eq(users.id, userId)),
          userViewQuery(db, eq(users.id, userId)),
        ]);
  return c.json(toUserView(rows[0]!), 200);
};


export const postSetRole: RouteHandler<typeof setRole, HonoEnv> = async (c) => {
  requireGlobalAdmin(c.var.caller);
  const { userId, groupId, role } = c.req.valid('json');
  const db = c.var.db;
  const [updated, rows] = await db.batch([
    db
      .update(memberships)
      .set({ role })
      .where(and(eq(memberships.userId, userId), eq(memberships.groupId, groupId)))
      .returning({ userId: memberships.userId }),
    userViewQuery(db, eq(users.id, userId)),
  ]);
  if (updated.length === 0) throw new ApiError('not_found', 'The user is not a member of that group.');
  return c.json(toUserView(rows[0]!), 200);
};
