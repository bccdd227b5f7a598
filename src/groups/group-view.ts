/** The Group object with its member count, one statement per list. */
import { z } from '@hono/zod-openapi';
import { asc, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { groups } from '../db/schema';
import { createSelectSchema } from '../db/zod';
import { Timestamp } from '../lib/openapi';

/** The table's columns the Group object shows as they are. */
const column = createSelectSchema(groups, {
  timeZone: (c) => c.openapi({ example: 'Europe/Berlin' }),
  createdAt: Timestamp,
}).shape;

export const GroupSchema = z
  .object({
    id: column.id,
    name: column.name,
    description: column.description,
    timeZone: column.timeZone,
    language: column.language.openapi({
      description: "The language of what the group receives as a whole (channel messages): 'de' or 'en'",
    }),
    memberCount: z.number().int(),
    createdAt: column.createdAt,
  })
  .openapi('Group');

export type GroupView = z.infer<typeof GroupSchema>;

/** The groups' order and keyset: names are unique case-insensitively (`groups_name_unique` on lower(name) serves it). */
export const groupOrderKey = sql<string>`lower(${groups.name})`;

export function groupViewQuery(db: Database, where?: SQL, limit?: number | SQL) {
  const q = db
    .select({
      id: groups.id,
      name: groups.name,
      description: groups.description,
      timeZone: groups.timeZone,
      language: groups.language,
      memberCount: groups.memberCount,
      createdAt: groups.createdAt,
    })
    .from(groups);
  const ordered = (where ? q.where(where) : q).orderBy(asc(groupOrderKey));
  return limit ? ordered.limit(limit as number) : ordered;
}
