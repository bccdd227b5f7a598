import type { RouteHandler } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { authorize, claimsOf } from '../../auth/middleware';
import { users } from '../../db/schema';
import type { HonoEnv } from '../../env';
import { toUserView, userViewQuery } from '../../users/user-view';
import type { getUser } from './user.routes';

export const getOwnProfile: RouteHandler<typeof getUser, HonoEnv> = async (c) => {
  const db = c.var.db;
  const [, rows] = await authorize(c, userViewQuery(db, eq(users.id, claimsOf(c).sub)));
  return c.json(toUserView(rows[0]!), 200);
};
