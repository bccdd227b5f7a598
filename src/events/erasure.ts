/**
 * Erasing an event with its ratings and photos, and "upcoming" as the SQL an
 * erasing statement decides by. R2 objects go after the commit
 * (src/photos/deletion.ts).
 */
import { eq, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { eventPhotos, events } from '../db/schema';
import { localDate } from '../lib/time';
import { deleteObjects } from '../photos/deletion';
import { uncountingStatements } from '../planning/ledger';

/**
 * An event with its ratings and photos, and its part of the cake ledger
 * when the ledger had counted it (the same batch). Returns false when it did
 * not exist.
 */
export async function eraseEvent(
  db: Database,
  bucket: R2Bucket,
  event: { id: string; groupId: string; date: string; timeZone: string },
): Promise<boolean> {
  const eventId = event.id;
  const [photos, ...rest] = await db.batch([
    db.select({ key: eventPhotos.objectKey }).from(eventPhotos).where(eq(eventPhotos.eventId, eventId)),
    ...uncountingStatements(db, event, event.timeZone),
    db.delete(events).where(eq(events.id, eventId)).returning({ key: events.coverPhotoKey }),
  ]);
  const deleted = rest.at(-1) as { key: string | null }[];
  await deleteObjects(db, bucket, [...photos.map((p) => p.key), ...deleted.map((d) => d.key)]);
  return deleted.length === 1;
}

/**
 * "After today in the event's group's time zone", as SQL for the statement
 * that deletes: today is taken for each of `timeZones` when the statement is
 * built, right before the batch. An event in a zone not listed (none can be:
 * the list holds every group the user could bake in) is not upcoming. The
 * zones' todays are one JSON parameter, however many groups the user is in
 * (D1 binds at most 100 parameters a statement).
 */
export function upcomingIn(timeZones: readonly string[], now = new Date()): SQL {
  if (timeZones.length === 0) return sql`0`;
  const todays = JSON.stringify(Object.fromEntries(timeZones.map((tz) => [tz, localDate(tz, now)])));
  const zone = sql`(select g.time_zone from groups g where g.id = ${events.groupId})`;
  const today = sql`(select t.value from json_each(${todays}) t where t.key = ${zone})`;
  return sql`${events.date} > coalesce(${today}, '9999-12-31')`;
}
