/** The Group object with its member count, one statement per list. */
import { z } from '@hono/zod-openapi';
import { asc, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client';
import { groups } from '../db/schema';

export const GroupSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    timeZone: z.string().openapi({ example: 'Europe/Berlin' }),
    memberCount: z.number().int(),
    createdAt: z.string(),
  })
  .openapi('Group');

export type GroupView = z.infer<typeof GroupSchema>;

export function groupViewQuery(db: Database, where?: SQL) {
  const q = db
    .select({
      id: groups.id,
      name: groups.name,
      description: groups.description,
      timeZone: groups.timeZone,
      memberCount: sql<number>`(select count(*) from memberships m where m.group_id = ${groups.id})`,
      createdAt: groups.createdAt,
    })
    .from(groups);
  return (where ? q.where(where) : q).orderBy(asc(sql`lower(${groups.name})`), asc(groups.id));
}
