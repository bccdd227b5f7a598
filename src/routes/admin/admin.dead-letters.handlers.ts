import { z } from '@hono/zod-openapi';
import { desc } from 'drizzle-orm';
import { deadLetters } from '../../db/schema';
import type { AppRouteHandler } from '../../lib/create-router';
import { after, decodeCursor, pageOf } from '../../lib/pagination';
import type * as routes from './admin.dead-letters.routes';

const DeadLetterKey = z.tuple([z.string(), z.string()]);

export const listDeadLetters: AppRouteHandler<typeof routes.listDeadLetters> = async (c) => {
  const { limit, cursor } = c.req.valid('query');
  const key = cursor ? await decodeCursor(c.env.JWT_SECRET, 'dead-letters', cursor, DeadLetterKey) : undefined;
  const db = c.var.db;
  const [, rows] = await c.var.auth.check(() => [
    db
      .select()
      .from(deadLetters)
      .where(key ? after([deadLetters.recordedAt, deadLetters.id], key, true) : undefined)
      .orderBy(desc(deadLetters.recordedAt), desc(deadLetters.id))
      .limit(limit + 1),
  ]);
  const page = await pageOf(c, 'dead-letters', rows, limit, (row) => [row.recordedAt, row.id]);
  return c.json(page, 200);
};
