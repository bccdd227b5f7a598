import { z } from '@hono/zod-openapi';
import { and, between, eq } from 'drizzle-orm';
import type { Caller } from '../../auth/caller';
import { answeringConstraints } from '../../db/errors';
import { events } from '../../db/schema';
import type { AppContext } from '../../env';
import { ApiError, invalidField } from '../../errors';
import { groupOfNewEvent, newEventMails, recordNewEvent } from '../../events/creation';
import { dietaryNeedsQuery, toDietaryNeeds } from '../../events/dietary';
import { recordEventChange } from '../../events/editing';
import { eraseEvent } from '../../events/erasure';
import { chronologicalKey, eventAccessQuery, eventRowsQuery, visiblePage, visiblePageQueries } from '../../events/queries';
import { bestOfViewerGroups, hallOfFameOrder, rankedAfter, rankedPageOrder, rankKeyOf } from '../../events/ranking';
import { recordRating } from '../../events/rating';
import { MAX_EVENT_FIELD_BYTES, NewEventSchema } from '../../events/schema';
import { photoUrl, ratingSummary, toCakeEvent, toCakeEvents, type ViewContext } from '../../events/view';
import { buildCalendar, CALENDAR_CONTENT_TYPE } from '../../ics/calendar';
import { afterResponse } from '../../lib/after-response';
import type { AppRouteHandler } from '../../lib/create-router';
import { validationHook } from '../../lib/create-router';
import { after, decodeCursor, pageOf } from '../../lib/pagination';
import { publicUrl } from '../../lib/public-url';
import { daysBetween, isUpcoming, localDate } from '../../lib/time';
import type { ChannelNews, LiveMessage } from '../../live/publish';
import { publish } from '../../live/publish';
import { enqueueMail } from '../../mail';
import { deleteObjects } from '../../photos/deletion';
import { recordGalleryPhoto } from '../../photos/gallery';
import { asFile, photoKey, readUpload, storeThenRecord } from '../../photos/upload';
import { countGroupCakes } from '../../planning/ledger';
import {
  canAddPhotoTo,
  canDeleteEvent,
  canEditEvent,
  canRateEvent,
  canSeeDietaryNeeds,
  mayCountDietaryNeeds,
} from '../../policy';
import type * as routes from './events.routes';
import { MAX_LIST_DAYS } from './events.routes';

const eventNotFound = () => new ApiError('not_found', 'No such event.');

const viewContext = (c: AppContext, caller: Caller): ViewContext => ({ env: c.env, caller, origin: publicUrl(c) });

const announce = (c: AppContext, message: LiveMessage, gone?: ChannelNews['gone']) =>
  afterResponse(c, publish(c.env, message, { origin: publicUrl(c), gone }));

const DateKey = z.tuple([z.string(), z.string(), z.string()]);
const RankKeyShape = z.tuple([z.number(), z.number().int(), z.string(), z.string(), z.string()]);

export const listEvents: AppRouteHandler<typeof routes.listEvents> = async (c) => {
  const { start, end, groupId, limit, cursor } = c.req.valid('query');
  if (end < start) throw invalidField('end', 'Must not be before start');
  if (daysBetween(start, end) > MAX_LIST_DAYS) throw invalidField('end', `At most ${MAX_LIST_DAYS} days after start`);
  const key = cursor ? await decodeCursor(c.env.JWT_SECRET, 'events', cursor, DateKey) : undefined;
  const where = and(between(events.date, start, end), key ? after(chronologicalKey, key) : undefined);
  const [caller, ...results] = await c.var.auth.check((me) =>
    visiblePageQueries(c.var.db, me, groupId, { where, limit: limit + 1 }),
  );
  const page = await pageOf(c, 'events', visiblePage(caller, results), limit, (r) => [r.date, r.createdAt, r.id]);
  return c.json(await toCakeEvents(page, viewContext(c, caller)), 200);
};

export const listRankedEvents: AppRouteHandler<typeof routes.listRankedEvents> = async (c) => {
  const { groupId, limit, cursor } = c.req.valid('query');
  const key = cursor ? await decodeCursor(c.env.JWT_SECRET, 'ranked', cursor, RankKeyShape) : undefined;
  const options = { where: rankedAfter(key), orderBy: hallOfFameOrder, limit: limit + 1 };
  // The member's statement reads the merge of its own groups' indexes (a
  // range on the score over all events would tempt SQLite to walk the
  // whole index instead).
  const [caller, ...results] = await c.var.auth.check((me) =>
    visiblePageQueries(c.var.db, me, groupId, options, (viewer) => ({
      from: bestOfViewerGroups(viewer, key, limit + 1),
      orderBy: rankedPageOrder,
    })),
  );
  const page = await pageOf(c, 'ranked', visiblePage(caller, results), limit, rankKeyOf);
  return c.json(await toCakeEvents(page, viewContext(c, caller)), 200);
};

export const getEvent: AppRouteHandler<typeof routes.getEvent> = async (c) => {
  const { id } = c.req.valid('param');
  const db = c.var.db;
  const [caller, rows, needs] = await c.var.auth.check((me) => [
    eventRowsQuery(db, me, { where: eq(events.id, id) }),
    dietaryNeedsQuery(db, id, mayCountDietaryNeeds(me, id)),
  ]);
  const row = rows[0];
  if (!row) throw eventNotFound();
  const event = await toCakeEvent(row, viewContext(c, caller));
  if (!canSeeDietaryNeeds(caller, row, isUpcoming(row.date, row.timeZone))) return c.json(event, 200);
  return c.json({ ...event, dietaryNeeds: toDietaryNeeds(needs[0]!) }, 200);
};

/** JSON body, or multipart with the JSON in `event` and the cover image in `image` (or `photo`). */
function readNewEvent(c: Parameters<AppRouteHandler<typeof routes.createEvent>>[0]) {
  const multipart = /^multipart\/form-data/i.test(c.req.header('content-type') ?? '');
  let input: unknown = c.req.valid('json');
  let image: File | null = null;
  if (multipart) {
    const form = c.req.valid('form') as Record<string, unknown>;
    if (typeof form.event !== 'string') throw invalidField('event', 'Required: the event as JSON');
    // Bounded before it is parsed. UTF-16 units never outnumber UTF-8 bytes, so a long field is refused uncounted.
    if (form.event.length > MAX_EVENT_FIELD_BYTES || new TextEncoder().encode(form.event).byteLength > MAX_EVENT_FIELD_BYTES) {
      throw new ApiError('payload_too_large', `The \`event\` field exceeds ${MAX_EVENT_FIELD_BYTES / 1024} KiB.`);
    }
    try {
      input = JSON.parse(form.event);
    } catch {
      throw new ApiError('malformed_json', 'The `event` field is not valid JSON.');
    }
    image = asFile(form.image) ?? asFile(form.photo);
  }
  const parsed = NewEventSchema.safeParse(input ?? {});
  validationHook(parsed, c);
  return { input: parsed.data!, image };
}

export const createEvent: AppRouteHandler<typeof routes.createEvent> = async (c) => {
  const [caller] = await c.var.auth.check();
  const { input, image } = readNewEvent(c);
  const groupId = groupOfNewEvent(caller, input.groupId);
  const upload = image ? await readUpload(image) : null;
  const { row, recipients } = await recordNewEvent(c.var.db, c.env.PHOTOS, { baker: caller, groupId, input, upload });
  const event = await toCakeEvent(row, viewContext(c, caller));
  announce(c, { type: 'NEW_EVENT', groupId, eventId: event.id, bakerName: caller.name, date: event.date });
  afterResponse(c, enqueueMail(c.env, ...newEventMails(caller, event, recipients)));
  // A cake dated today or earlier has come due: the ledger counts it now rather than at the next daily run.
  if (!isUpcoming(row.date, row.timeZone)) afterResponse(c, countGroupCakes(c.var.db, groupId));
  return c.json({ id: event.id, message: 'Event created.', event }, 201);
};

export const deleteEvent: AppRouteHandler<typeof routes.deleteEvent> = async (c) => {
  const { id } = c.req.valid('param');
  const db = c.var.db;
  // The token check and the access read share one round trip.
  const [caller, [event]] = await c.var.auth.check((me) => [eventAccessQuery(db, me, id)]);
  if (!event) throw eventNotFound();
  if (!canDeleteEvent(caller, event, isUpcoming(event.date, event.timeZone))) {
    throw new ApiError('forbidden', 'Only the baker (before the day), a group admin or an admin may delete this event.');
  }
  if (!(await eraseEvent(db, c.env.PHOTOS, event))) throw eventNotFound();
  announce(c, { type: 'EVENT_DELETED', groupId: event.groupId, eventId: id }, { date: event.date, bakerId: event.bakerId });
  return c.json({ message: 'Event deleted.' }, 200);
};

export const updateEvent: AppRouteHandler<typeof routes.updateEvent> = async (c) => {
  const { id } = c.req.valid('param');
  const change = c.req.valid('json');
  const db = c.var.db;
  // The token check and the access read share one round trip.
  const [caller, [event]] = await c.var.auth.check((me) => [eventAccessQuery(db, me, id)]);
  if (!event) throw eventNotFound();
  if (!canEditEvent(caller, event, isUpcoming(event.date, event.timeZone))) {
    throw new ApiError('forbidden', 'Only the baker (before the day), a group admin or an admin may change this event.');
  }
  if (change.date !== undefined && change.date !== event.date) {
    const today = localDate(event.timeZone);
    if (event.date < today) throw new ApiError('conflict', 'A past event keeps its date.');
    if (change.date < today) throw new ApiError('conflict', "The new date must be today or later in the group's time zone.");
  }
  const { applied, row, recipients, moved } = await recordEventChange(db, {
    eventId: id,
    groupId: event.groupId,
    judgedDate: event.date,
    editorId: caller.id,
    change,
  });
  if (!row) throw eventNotFound();
  if (!applied) throw new ApiError('conflict', 'The event changed meanwhile; load it again.');
  const updated = await toCakeEvent(row, viewContext(c, caller));
  const { groupId, date, bakerName, description } = updated;
  announce(c, { type: 'EVENT_UPDATED', groupId, eventId: id, date, bakerName, description });
  if (moved) {
    const data = { bakerName, groupName: updated.groupName, from: event.date, date, description };
    afterResponse(
      c,
      enqueueMail(
        c.env,
        ...recipients.map((r) => ({ to: r.email, template: 'event_moved' as const, language: r.language, data })),
      ),
    );
    // Moved to today: it has come due, and the ledger counts it now.
    if (!isUpcoming(date, row.timeZone)) afterResponse(c, countGroupCakes(db, groupId));
  }
  return c.json(updated, 200);
};

export const rateEvent: AppRouteHandler<typeof routes.rateEvent> = async (c) => {
  const { id } = c.req.valid('param');
  const { stars, comment } = c.req.valid('json');
  const db = c.var.db;
  // The token check and the access read share one round trip.
  const [caller, [event]] = await c.var.auth.check((me) => [eventAccessQuery(db, me, id)]);
  if (!event) throw eventNotFound();
  if (!canRateEvent(caller, event)) throw new ApiError('forbidden', 'Only group members other than the baker rate an event.');
  if (isUpcoming(event.date, event.timeZone)) throw new ApiError('not_yet', 'Rating opens on the day of the event.');

  const totals = await answeringConstraints(
    recordRating(db, { eventId: id, userId: caller.id, stars, comment: comment ?? null }),
    {
      missingParent: eventNotFound,
    },
  );
  if (!totals) throw eventNotFound();
  const rating = ratingSummary(totals.count, totals.sum, stars);
  announce(c, { type: 'EVENT_RATED', groupId: event.groupId, eventId: id, average: rating.average, count: rating.count });
  return c.json({ rating }, 200);
};

export const getEventIcs: AppRouteHandler<typeof routes.getEventIcs> = async (c) => {
  const { id } = c.req.valid('param');
  const db = c.var.db;
  const [caller, rows] = await c.var.auth.check((me) => [eventRowsQuery(db, me, { where: eq(events.id, id) })]);
  const row = rows[0];
  if (!row) throw eventNotFound();
  const body = await buildCalendar([row], caller.language);
  return c.body(body, 200, {
    'Content-Type': CALENDAR_CONTENT_TYPE,
    'Content-Disposition': `attachment; filename="cake-${row.date}.ics"`,
    'Cache-Control': 'private, no-cache',
  });
};

export const uploadPhoto: AppRouteHandler<typeof routes.uploadPhoto> = async (c) => {
  const { id } = c.req.valid('param');
  const db = c.var.db;
  // The token check and the access read share one round trip.
  const [caller, [event]] = await c.var.auth.check((me) => [eventAccessQuery(db, me, id)]);
  if (!event) throw eventNotFound();
  if (!canAddPhotoTo(caller, event)) throw new ApiError('forbidden', 'Only members of the group add photos.');
  const file = asFile((c.req.valid('form') as Record<string, unknown>).photo);
  if (!file) throw invalidField('photo', 'Required: the image file');
  const upload = await readUpload(file);

  const key = photoKey(id, upload.ext);
  const uploadedAt = new Date().toISOString();
  const replaced = await storeThenRecord(c.env.PHOTOS, key, upload, () =>
    answeringConstraints(
      recordGalleryPhoto(db, { eventId: id, userId: caller.id, objectKey: key, contentType: upload.contentType, uploadedAt }),
      { missingParent: eventNotFound },
    ),
  );
  await deleteObjects(db, c.env.PHOTOS, replaced);

  announce(c, { type: 'PHOTO_ADDED', groupId: event.groupId, eventId: id, userName: caller.name });
  const url = await photoUrl(viewContext(c, caller), key);
  return c.json({ userId: caller.id, userName: caller.name, url, isMine: true, uploadedAt }, 201);
};
