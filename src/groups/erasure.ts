/** Erasing a group: its events, ratings and photos go with it (memberships cascade); R2 objects after the commit. */
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { eventPhotos, events, groups } from '../db/schema';
import { deleteObjects } from '../photos/deletion';

/** A group with its events, ratings and photos (memberships cascade). */
export async function eraseGroup(db: Database, bucket: R2Bucket, groupId: string): Promise<boolean> {
  const inGroup = sql`${eventPhotos.eventId} in (select id from events where group_id = ${groupId})`;
  const [photos, covers, deleted] = await db.batch([
    db.select({ key: eventPhotos.objectKey }).from(eventPhotos).where(inGroup),
    db.select({ key: events.coverPhotoKey }).from(events).where(eq(events.groupId, groupId)),
    db.delete(groups).where(eq(groups.id, groupId)).returning({ id: groups.id }),
  ]);
  await deleteObjects(
    db,
    bucket,
    [...photos, ...covers].map((r) => r.key),
  );
  return deleted.length === 1;
}
