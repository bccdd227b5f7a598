/**
 * Deleting photos from R2 once their rows are gone. R2 may fail for a
 * moment; the keys it refused are kept in `photo_deletions` and the daily
 * cron deletes them until none is left, so an erased photo never stays.
 */
import { inArray } from 'drizzle-orm';
import type { Database } from '../db/client';
import { withinParameterLimit } from '../db/parameter-limit';
import { photoDeletions } from '../db/schema';
import { logError } from '../lib/log';

const R2_DELETE_BATCH = 1000;

export async function deleteObjects(db: Database, bucket: R2Bucket, keys: readonly (string | null)[]): Promise<void> {
  const present = [...new Set(keys.filter((k): k is string => !!k))];
  for (let i = 0; i < present.length; i += R2_DELETE_BATCH) {
    const chunk = present.slice(i, i + R2_DELETE_BATCH);
    try {
      await bucket.delete(chunk);
    } catch (error) {
      logError('photo deletion failed; kept for the daily retry', error);
      const failedAt = new Date().toISOString();
      const [first, ...more] = withinParameterLimit(chunk, 2).map((keys) =>
        db
          .insert(photoDeletions)
          .values(keys.map((objectKey) => ({ objectKey, failedAt })))
          .onConflictDoNothing(),
      );
      await db.batch([first!, ...more]).catch((e) => logError('photo deletion not recorded', e));
    }
  }
}

/** The daily retry: deletes what R2 refused before, and forgets each key once R2 took it. */
export async function retryPhotoDeletions(db: Database, bucket: R2Bucket): Promise<void> {
  for (;;) {
    const pending = await db.select({ key: photoDeletions.objectKey }).from(photoDeletions).limit(R2_DELETE_BATCH);
    if (pending.length === 0) return;
    const keys = pending.map((p) => p.key);
    // A failure here throws: the cron run is reported as failed, and tomorrow's tries again.
    await bucket.delete(keys);
    const [first, ...more] = withinParameterLimit(keys, 1).map((slice) =>
      db.delete(photoDeletions).where(inArray(photoDeletions.objectKey, slice)),
    );
    await db.batch([first!, ...more]);
    if (pending.length < R2_DELETE_BATCH) return;
  }
}
