/**
 * The gallery record of an event: one photo per member and event, replaced
 * by the member's next upload. The object itself is in R2 (src/photos/upload.ts).
 */
import { and, eq } from 'drizzle-orm';
import type { Database } from '../db/client';
import { eventPhotos } from '../db/schema';

/**
 * Records `photo` as the member's gallery photo of the event; returns the
 * object keys it replaced (to delete from R2 once recorded).
 */
export async function recordGalleryPhoto(
  db: Database,
  photo: { eventId: string; userId: string; objectKey: string; contentType: string; uploadedAt: string },
): Promise<string[]> {
  const { objectKey, contentType, uploadedAt } = photo;
  const [previous] = await db.batch([
    db
      .select({ key: eventPhotos.objectKey })
      .from(eventPhotos)
      .where(and(eq(eventPhotos.eventId, photo.eventId), eq(eventPhotos.userId, photo.userId))),
    db
      .insert(eventPhotos)
      .values(photo)
      .onConflictDoUpdate({ target: [eventPhotos.eventId, eventPhotos.userId], set: { objectKey, contentType, uploadedAt } }),
  ]);
  return previous.map((p) => p.key).filter((key) => key !== objectKey);
}
