/** EventRow → CakeEvent for one caller: flags in the group's time zone, signed photo URLs. */
import type { Caller } from '../auth/caller';
import type { Bindings } from '../env';
import { isUpcoming } from '../lib/time';
import { signPhotoPath } from '../photos/signing';
import { canDeleteEvent, canRateEvent } from '../policy';
import { cakeDietaryView } from './dietary';
import type { EventRow } from './queries';
import type { CakeEvent } from './schema';

interface GalleryEntry {
  userId: string;
  userName: string;
  key: string;
  uploadedAt: string;
}

export interface ViewContext {
  env: Bindings;
  caller: Caller;
  /** Public origin of the API: photo URLs are absolute so they load from any frontend origin. */
  origin: string;
  now?: Date;
}

export const ratingSummary = (count: number, sum: number, myRating: number) => ({
  average: count > 0 ? sum / count : 0,
  count,
  myRating,
});

export async function photoUrl(ctx: ViewContext, key: string): Promise<string> {
  return ctx.origin + (await signPhotoPath(ctx.env, key, ctx.now?.getTime()));
}

export async function toCakeEvent(row: EventRow, ctx: ViewContext): Promise<CakeEvent> {
  const { caller } = ctx;
  const isFuture = isUpcoming(row.date, row.timeZone, ctx.now);
  const entries = (JSON.parse(row.gallery ?? '[]') as GalleryEntry[]).sort(
    (a, b) => a.uploadedAt.localeCompare(b.uploadedAt) || a.userId.localeCompare(b.userId),
  );
  const gallery = await Promise.all(
    entries.map(async (g) => ({
      userId: g.userId,
      userName: g.userName,
      url: await photoUrl(ctx, g.key),
      isMine: g.userId === caller.id,
      uploadedAt: g.uploadedAt,
    })),
  );
  return {
    id: row.id,
    groupId: row.groupId,
    groupName: row.groupName,
    bakerId: row.bakerId ?? '',
    bakerName: row.bakerName,
    date: row.date,
    description: row.description,
    photoUrl: row.coverPhotoKey ? await photoUrl(ctx, row.coverPhotoKey) : null,
    ...cakeDietaryView(row),
    gallery,
    isOwner: !!row.bakerId && row.bakerId === caller.id,
    isFuture,
    canDelete: canDeleteEvent(caller, row, isFuture),
    canRate: canRateEvent(caller, row) && !isFuture,
    rating: ratingSummary(row.ratingCount, row.ratingSum, row.myRating),
    createdAt: row.createdAt,
  };
}

export const toCakeEvents = (rows: EventRow[], ctx: ViewContext) => Promise.all(rows.map((r) => toCakeEvent(r, ctx)));
