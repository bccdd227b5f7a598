/**
 * Erasing a user: what API.md lists goes in one `db.batch()` (foreign keys
 * cascade the rest), and the R2 objects whose rows disappear are deleted
 * afterwards in batches (src/photos/deletion.ts: what R2 refuses is retried
 * daily). Keys are read in the same batch as the deletes, so nothing
 * uploaded in between is missed by the rows' deletion. Events and groups are
 * erased the same way: src/events/erasure.ts, src/groups/erasure.ts.
 */
import { and, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { eventPhotos, events, groups, users } from '../db/schema';
import { upcomingIn } from '../events/erasure';
import { deleteObjects } from '../photos/deletion';

/** An event that went with its baker's account, for the caller to announce. */
interface ErasedEvent {
  id: string;
  groupId: string;
  date: string;
}

/** What became of an erasure: done, no such user, or refused by the guard. */
export type UserErasure = { outcome: 'erased'; deletedEvents: ErasedEvent[] } | { outcome: 'missing' } | { outcome: 'refused' };

/**
 * The first round trip of an erasure: the user with the guard's verdict, and
 * the events the user bakes. A handler may run them in its token check's
 * batch and hand the results to `eraseUser`, so the whole erasure costs two
 * round trips, authentication included. `onlyIf` (e.g. "the caller is a
 * global admin") makes both read nothing unless it holds.
 */
export function userErasureReads(db: Database, userId: string, guard: SQL = sql`1`, onlyIf?: SQL) {
  return [
    db
      .select({
        allowed: sql<number>`${guard}`,
        // The time zones of the groups the user could bake in (for "upcoming" in the deleting statement).
        // By the id itself: a bare "id" column here would be the groups' own id.
        zones: sql<string>`(select json_group_array(distinct g.time_zone) from memberships m join groups g on g.id = m.group_id where m.user_id = ${userId})`,
      })
      .from(users)
      .where(and(eq(users.id, userId), onlyIf))
      .limit(1),
    // The zones of the groups the user's events are in (which may include groups the user left).
    db
      .selectDistinct({ timeZone: groups.timeZone })
      .from(events)
      .innerJoin(groups, eq(groups.id, events.groupId))
      .where(and(eq(events.bakerId, userId), onlyIf)),
  ] as const;
}

type ErasureReads = [{ allowed: number; zones: string }[], { timeZone: string }[]];

/**
 * A user's account: profile, memberships, ratings, photos, calendar token;
 * upcoming events baked by the user go too, past ones stay ("Deleted user")
 * without their cover photo, which was the user's upload like any other.
 * "Upcoming" (after today in the event's group's time zone) is decided by
 * the deleting statement itself (`upcomingIn`), so an event baked meanwhile,
 * or a day that turned between the trips, is judged as of the deletion. With `guard`, nothing is erased unless that condition
 * holds: it is read up front, so a refusal costs no second trip, and checked
 * again inside the deleting batch, so it also holds against concurrent
 * requests. On success the result lists the upcoming events the batch
 * deleted (their groups' live streams must hear of it, as for any deleted
 * event).
 */
export async function eraseUser(
  db: Database,
  bucket: R2Bucket,
  userId: string,
  options: { guard?: SQL; reads?: ErasureReads } = {},
): Promise<UserErasure> {
  const guard = options.guard ?? sql`1`;
  const [target, bakedQuery] = userErasureReads(db, userId, guard);
  const [[found], baked] = options.reads ?? (await db.batch([target, bakedQuery]));
  if (!found) return { outcome: 'missing' };
  if (!found.allowed) return { outcome: 'refused' };
  const zones = [...new Set([...baked.map((e) => e.timeZone), ...(JSON.parse(found.zones) as string[])])];
  const upcoming = and(eq(events.bakerId, userId), upcomingIn(zones));

  const [ownPhotos, upcomingPhotos, covers, deletedEvents, , deleted, [stillThere]] = await db.batch([
    db.select({ key: eventPhotos.objectKey }).from(eventPhotos).where(eq(eventPhotos.userId, userId)),
    db
      .select({ key: eventPhotos.objectKey })
      .from(eventPhotos)
      .where(inArray(eventPhotos.eventId, db.select({ id: events.id }).from(events).where(upcoming))),
    db.select({ key: events.coverPhotoKey }).from(events).where(eq(events.bakerId, userId)),
    db.delete(events).where(and(upcoming, guard)).returning({ id: events.id, groupId: events.groupId, date: events.date }),
    db
      .update(events)
      .set({ coverPhotoKey: null })
      .where(and(eq(events.bakerId, userId), guard)),
    // Past events stay; their baker link becomes null (FK set null).
    db
      .delete(users)
      .where(and(eq(users.id, userId), guard))
      .returning({ id: users.id }),
    // Still there after the delete: the guard refused (else it went in between).
    target,
  ]);
  if (deleted.length === 0) return { outcome: stillThere ? 'refused' : 'missing' };
  await deleteObjects(
    db,
    bucket,
    [...ownPhotos, ...upcomingPhotos, ...covers].map((r) => r.key),
  );
  return { outcome: 'erased', deletedEvents };
}
