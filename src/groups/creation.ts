/** A new group, read back as the Group object in the same batch. */
import { eq } from 'drizzle-orm';
import type { Database } from '../db/client';
import { groups } from '../db/schema';
import { type GroupView, groupViewQuery } from './group-view';

/** Inserts the group; a taken name fails on `groups_name_unique` (the caller maps it to 409). */
export async function insertGroup(
  db: Database,
  input: { name: string; description?: string; timeZone?: string },
): Promise<GroupView> {
  const id = crypto.randomUUID();
  const [, rows] = await db.batch([
    db.insert(groups).values({ id, name: input.name, description: input.description ?? '', timeZone: input.timeZone }),
    groupViewQuery(db, eq(groups.id, id)),
  ]);
  return rows[0]!;
}
