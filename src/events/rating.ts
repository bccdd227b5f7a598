/**
 * A member's rating of an event: one per member and event, changed by
 * rating again. The event's aggregates (count, sum) are kept by the rating
 * triggers in drizzle/, and read back in the same batch.
 */
import { eq } from 'drizzle-orm';
import type { Database } from '../db/client';
import { events, ratings } from '../db/schema';

/**
 * Records (or replaces) the rating; returns the event's totals after it, or
 * undefined when the event is gone (a deleted event's rating fails on its
 * foreign key, which the caller answers as 404 too).
 */
export async function recordRating(
  db: Database,
  rating: { eventId: string; userId: string; stars: number; comment: string | null },
) {
  const now = new Date().toISOString();
  const [, totals] = await db.batch([
    db
      .insert(ratings)
      .values({ ...rating, createdAt: now, updatedAt: now })
      .onConflictDoUpdate({
        target: [ratings.eventId, ratings.userId],
        set: { stars: rating.stars, comment: rating.comment, updatedAt: now },
      }),
    db.select({ count: events.ratingCount, sum: events.ratingSum }).from(events).where(eq(events.id, rating.eventId)),
  ]);
  return totals[0];
}
