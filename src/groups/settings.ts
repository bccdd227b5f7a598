/** Changing a group's settings, read back as the Group object in the same batch. */
import { eq } from 'drizzle-orm';
import type { Database } from '../db/client';
import { groups, type Language } from '../db/schema';
import { groupViewQuery } from './group-view';

export interface GroupSettings {
  name?: string;
  description?: string;
  timeZone?: string;
  language?: Language;
}

/**
 * Writes the given settings (the others stay); no row when the group does
 * not exist. A taken name fails on `groups_name_unique` (409 for the caller).
 * The time zone changes what "today" is for the group from now on; events
 * keep their dates.
 */
export async function updateGroupSettings(db: Database, groupId: string, settings: GroupSettings) {
  const changes = Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined));
  const [, rows] = await db.batch([
    // An empty body changes nothing and still answers the group as it is.
    Object.keys(changes).length > 0
      ? db.update(groups).set(changes).where(eq(groups.id, groupId))
      : db.select({ id: groups.id }).from(groups).where(eq(groups.id, groupId)),
    groupViewQuery(db, eq(groups.id, groupId)),
  ]);
  return rows[0];
}
