/**
 * Events, ratings and gallery photos of the original. Event dates must be
 * real calendar dates (the original never checked them: an impossible one
 * is skipped, not guessed); ratings are whole stars 1..5; photos are typed by
 * their bytes. Rating aggregates are left to this project's triggers
 * (drizzle/0001_rating_aggregates.sql), which count exactly the ratings
 * that get inserted.
 */
import { CalendarDate, NewEventSchema, RatingInputSchema } from '../../src/events/schema';
import type { PhotoUpload } from './photos';
import { resolvePhoto } from './photos';
import type { Planning } from './planning';
import { type Cell, type OriginalSource, readTable, type SqlValue } from './source';
import type { PlannedTable } from './sql';
import { pairKey } from './target';
import { noPhoto, readId, readStars, readTimestamp } from './values';

const EVENT_COLUMNS = ['id', 'group_id', 'baker_id', 'date', 'description', 'cover_photo_key', 'created_at'] as const;
const RATING_COLUMNS = ['event_id', 'user_id', 'stars', 'comment', 'created_at', 'updated_at'] as const;
const GALLERY_COLUMNS = ['event_id', 'user_id', 'object_key', 'content_type', 'created_at'] as const;

const DESCRIPTION = NewEventSchema.shape.description;
const COMMENT = RatingInputSchema.shape.comment;

type Row = Record<string, SqlValue>;
const values = (row: Row, columns: readonly string[]) => columns.map((c) => row[c] ?? null);
const textOrNull = (value: Cell) =>
  value === undefined || value === null ? null : typeof value === 'string' ? value : String(value);

const sameEvent = (here: Row, event: Row, createdAt: string) =>
  String(here.group_id) === String(event.group_id) &&
  String(here.baker_id) === String(event.baker_id) &&
  here.created_at === createdAt;

async function planEvents(source: OriginalSource, planning: Planning, photos: PhotoUpload[]): Promise<PlannedTable> {
  const { target, options, present } = planning;
  const planned: PlannedTable = { table: 'events', columns: EVENT_COLUMNS, rows: [] };
  let skippedCovers = 0;
  for await (const event of readTable(source, 'events')) {
    planning.seen('events');
    const hasCover = !noPhoto(event.photo_path);
    if (hasCover) planning.seen('cover photos');
    const id = readId(event.id);
    const description = textOrNull(event.description) ?? '';
    const createdAt = readTimestamp(event.created_at);
    const existing = id ? target.events.get(id) : undefined;
    const reason = !id
      ? `id ${JSON.stringify(event.id)} is not a UUID`
      : !present.groups.has(String(event.group_id))
        ? planning.missing('group', 'group', event.group_id)
        : !present.users.has(String(event.baker_id))
          ? planning.missing('user', 'baker', event.baker_id)
          : !CalendarDate.safeParse(event.event_date).success
            ? `invalid date ${JSON.stringify(event.event_date)}`
            : !DESCRIPTION.safeParse(description).success
              ? 'description longer than 2,000 characters'
              : !createdAt
                ? `created_at ${JSON.stringify(event.created_at)} is not a timestamp`
                : // An event here with this id but another group, baker or creation time is not this one: no ratings
                  // or photos of the source are attached to it.
                  existing && !sameEvent(existing, event, createdAt)
                  ? 'id belongs to another event here'
                  : null;
    if (reason || !id || !createdAt) {
      planning.skip('events', String(event.id), reason!);
      planning.absent.events.set(String(event.id), reason!);
      if (hasCover) planning.skip('cover photos', String(event.id), `event ${event.id} is not imported`);
      continue;
    }

    let cover: PhotoUpload | null = null;
    if (hasCover && !options.uploads) skippedCovers++;
    else if (hasCover) {
      const outcome = await resolvePhoto(options.uploads!, event.photo_path, id, 'cover');
      // A missing or unusable cover leaves the event without a photo; the event itself is imported.
      if (outcome.ok) cover = outcome.upload;
      else planning.skip('cover photos', id, outcome.reason);
    }
    const row: Row = {
      id,
      group_id: String(event.group_id),
      baker_id: String(event.baker_id),
      date: String(event.event_date),
      description,
      cover_photo_key: cover?.key ?? null,
      created_at: createdAt,
    };
    // Without the upload folder (--skip-photos) the cover is not compared: the run did not look at it.
    const compared = options.uploads ? row : { ...row, cover_photo_key: existing?.cover_photo_key ?? null };
    const outcome = planning.reconcile('events', id, compared, existing);
    if (outcome === 'new') planned.rows.push(values(row, EVENT_COLUMNS));
    if (cover) {
      const covers = planning.summary.counts['cover photos'];
      if (outcome === 'new') {
        covers.new++;
        photos.push(cover);
      } else if (existing?.cover_photo_key === cover.key) covers.unchanged++;
      else covers.different++;
    }
    present.events.add(id);
  }
  if (skippedCovers) {
    planning.summary.counts['cover photos'].skipped += skippedCovers;
    planning.note(`${skippedCovers.toLocaleString('en')} cover photos not imported (--skip-photos)`);
  }
  return planned;
}

async function planRatings(source: OriginalSource, planning: Planning): Promise<PlannedTable> {
  const { target, present } = planning;
  const planned: PlannedTable = { table: 'ratings', columns: RATING_COLUMNS, rows: [] };
  let previous = '';
  for await (const rating of readTable(source, 'ratings')) {
    planning.seen('ratings');
    const key = pairKey(String(rating.event_id), String(rating.rater_id));
    const stars = readStars(rating.rating_value);
    const comment = textOrNull(rating.comment);
    const createdAt = readTimestamp(rating.created_at);
    const reason = !present.events.has(String(rating.event_id))
      ? planning.missing('event', 'event', rating.event_id)
      : !present.users.has(String(rating.rater_id))
        ? planning.missing('user', 'rater', rating.rater_id)
        : key === previous
          ? 'a second rating of the same user for the same event'
          : stars === null
            ? `stars ${JSON.stringify(String(rating.rating_value))} are not a whole number from 1 to 5`
            : !COMMENT.safeParse(comment).success
              ? 'comment longer than 500 characters'
              : !createdAt
                ? `created_at ${JSON.stringify(rating.created_at)} is not a timestamp`
                : null;
    previous = key;
    if (reason || !createdAt) {
      planning.skip('ratings', key, reason!);
      continue;
    }
    const row = {
      event_id: String(rating.event_id),
      user_id: String(rating.rater_id),
      stars,
      comment,
      created_at: createdAt,
      updated_at: createdAt,
    };
    if (planning.reconcile('ratings', key, row, target.ratings.get(key)) === 'new')
      planned.rows.push(values(row, RATING_COLUMNS));
  }
  return planned;
}

async function planGallery(source: OriginalSource, planning: Planning, photos: PhotoUpload[]): Promise<PlannedTable> {
  const { target, options, present } = planning;
  const planned: PlannedTable = { table: 'event_photos', columns: GALLERY_COLUMNS, rows: [] };
  let withoutFolder = 0;
  let previous = '';
  for await (const photo of readTable(source, 'event_photos')) {
    planning.seen('gallery photos');
    const key = pairKey(String(photo.event_id), String(photo.user_id));
    const uploadedAt = readTimestamp(photo.uploaded_at);
    const reason = !present.events.has(String(photo.event_id))
      ? planning.missing('event', 'event', photo.event_id)
      : !present.users.has(String(photo.user_id))
        ? planning.missing('user', 'user', photo.user_id)
        : key === previous
          ? 'a second photo of the same user for the same event'
          : !uploadedAt
            ? `uploaded_at ${JSON.stringify(photo.uploaded_at)} is not a timestamp`
            : null;
    previous = key;
    if (reason || !uploadedAt) {
      planning.skip('gallery photos', key, reason!);
      continue;
    }
    if (!options.uploads) {
      withoutFolder++;
      continue;
    }
    const [eventId, userId] = [String(photo.event_id), String(photo.user_id)];
    const outcome = await resolvePhoto(options.uploads, photo.photo_path, eventId, userId);
    if (!outcome.ok) {
      planning.skip('gallery photos', key, outcome.reason);
      continue;
    }
    const { upload } = outcome;
    const row = {
      event_id: eventId,
      user_id: userId,
      object_key: upload.key,
      content_type: upload.contentType,
      created_at: uploadedAt,
    };
    if (planning.reconcile('gallery photos', key, row, target.gallery.get(key)) === 'new') {
      planned.rows.push(values(row, GALLERY_COLUMNS));
      photos.push(upload);
    }
  }
  if (withoutFolder) {
    planning.summary.counts['gallery photos'].skipped += withoutFolder;
    planning.note(`${withoutFolder.toLocaleString('en')} gallery photos not imported (--skip-photos)`);
  }
  return planned;
}

export async function planCakes(source: OriginalSource, planning: Planning) {
  const photos: PhotoUpload[] = [];
  const events = await planEvents(source, planning, photos);
  const ratings = await planRatings(source, planning);
  const gallery = await planGallery(source, planning, photos);
  return { tables: [events, ratings, gallery], photos };
}
