import { createRoute, z } from '@hono/zod-openapi';
import { authenticate } from '../../auth/authenticate';
import { HOURLY_BUDGETS } from '../../auth/budgets';
import { EventChangeSchema } from '../../events/editing';
import { RANKING_DESCRIPTION } from '../../events/ranking';
import {
  CakeEventSchema,
  CalendarDate,
  GalleryItemSchema,
  MAX_EVENT_FIELD_BYTES,
  NewEventFormSchema,
  NewEventSchema,
  RatingInputSchema,
  RatingSummarySchema,
} from '../../events/schema';
import { bearerAuth, IdParam, jsonBody, jsonContent, MessageSchema, pageContent, problems } from '../../lib/openapi';
import { PAGE_DESCRIPTION, pageQuery } from '../../lib/pagination';

const tags = ['Events'];

export const MAX_LIST_DAYS = 400;
/** A month of a large organisation fits one page: the web app reads the first page only. */
const EVENTS_PAGE = 1_000;
const RANKED_PAGE = { default: 20, max: 100 };

export const listEvents = createRoute({
  method: 'get',
  path: '/events',
  tags,
  summary: 'Events of the caller’s groups between two dates',
  description:
    `Sorted by date, then creation. \`end\` ≥ \`start\`, at most ${MAX_LIST_DAYS} days apart. ` +
    `Up to ${EVENTS_PAGE} events per page (the default). ${PAGE_DESCRIPTION}`,
  security: bearerAuth,
  middleware: authenticate(),
  request: {
    query: z.object({
      start: CalendarDate,
      end: CalendarDate,
      groupId: z.string().min(1).max(64).optional(),
      ...pageQuery(EVENTS_PAGE, EVENTS_PAGE),
    }),
  },
  responses: {
    200: pageContent(z.array(CakeEventSchema), 'The visible events in the range'),
    ...problems(400, 401, 403),
  },
});

export const createEvent = createRoute({
  method: 'post',
  path: '/events',
  tags,
  summary: 'Sign up to bring cake',
  description:
    'JSON `NewEvent`, or multipart with the JSON in field `event` and an optional cover image in `image` (or `photo`). ' +
    `The \`event\` field is at most ${MAX_EVENT_FIELD_BYTES / 1024} KiB (else 413, before it is parsed). ` +
    '`groupId` may be omitted when the caller belongs to exactly one group. The other active members are emailed. ' +
    `At most ${HOURLY_BUDGETS['create-event']} a user per hour (429 with \`Retry-After\`).`,
  security: bearerAuth,
  middleware: authenticate({ budget: 'create-event', upfront: true }),
  request: {
    body: {
      required: false,
      content: {
        'application/json': { schema: NewEventSchema },
        'multipart/form-data': { schema: NewEventFormSchema },
      },
    },
  },
  responses: {
    201: jsonContent(
      z.object({ id: z.string(), message: z.string(), event: CakeEventSchema }).openapi('CreatedEvent'),
      'The new event',
    ),
    ...problems(400, 401, 403, 413, 415, 429),
  },
});

export const listRankedEvents = createRoute({
  method: 'get',
  path: '/events/ranked',
  tags,
  summary: 'Hall of Fame: the best-rated visible events',
  description: `Only events with at least one rating. ${RANKING_DESCRIPTION} ${PAGE_DESCRIPTION}`,
  security: bearerAuth,
  middleware: authenticate(),
  request: {
    query: z.object({
      groupId: z.string().min(1).max(64).optional(),
      ...pageQuery(RANKED_PAGE.default, RANKED_PAGE.max),
    }),
  },
  responses: {
    200: pageContent(z.array(CakeEventSchema), 'Best first'),
    ...problems(400, 401, 403),
  },
});

export const getEvent = createRoute({
  method: 'get',
  path: '/events/{id}',
  tags,
  summary: 'One event with its gallery and ratings',
  security: bearerAuth,
  middleware: authenticate(),
  request: { params: IdParam },
  responses: {
    200: jsonContent(CakeEventSchema, 'The event'),
    ...problems(401, 403, 404),
  },
});

export const deleteEvent = createRoute({
  method: 'delete',
  path: '/events/{id}',
  tags,
  summary: 'Delete an event with its ratings and photos',
  description: 'Allowed for the baker while the event is upcoming, an admin of the group, or a global admin.',
  security: bearerAuth,
  middleware: authenticate({ budget: 'delete-event' }),
  request: { params: IdParam },
  responses: {
    200: jsonContent(MessageSchema, 'Deleted'),
    ...problems(401, 403, 404, 429),
  },
});

export const updateEvent = createRoute({
  method: 'patch',
  path: '/events/{id}',
  tags,
  summary: "Change an event's description, date or dietary fields",
  description:
    'Allowed for the baker while the event is upcoming, an admin of the group, or a global admin (another member: 403). ' +
    "A new `date` must be today or later in the group's time zone, and a past event keeps its date (409). " +
    'Only the fields given change. The calendar entry keeps its UID and its SEQUENCE goes up when the date, the ' +
    'description or the allergens change, so calendars update it; the group hears `EVENT_UPDATED` on the live stream, ' +
    "and its other members are mailed only when the date moves. A change racing another change of the event's date: 409.",
  security: bearerAuth,
  middleware: authenticate({ budget: 'edit-event' }),
  request: { params: IdParam, body: jsonBody(EventChangeSchema) },
  responses: {
    200: jsonContent(CakeEventSchema, 'The changed event'),
    ...problems(400, 401, 403, 404, 409, 429),
  },
});

export const rateEvent = createRoute({
  method: 'post',
  path: '/events/{id}/rate',
  tags,
  summary: 'Rate an event (again: replaces the earlier rating)',
  description:
    "Group members other than the baker, on or after the event's date in the group's time zone (before: 409 `not_yet`).",
  security: bearerAuth,
  middleware: authenticate({ budget: 'rate-event' }),
  request: { params: IdParam, body: jsonBody(RatingInputSchema) },
  responses: {
    200: jsonContent(z.object({ rating: RatingSummarySchema }), 'The event’s rating after this vote'),
    ...problems(400, 401, 403, 404, 409, 429),
  },
});

export const getEventIcs = createRoute({
  method: 'get',
  path: '/events/{id}/ics',
  tags,
  summary: 'The event as an iCalendar file',
  description: 'One all-day VEVENT, summary in the caller’s language, lines folded at 75 octets, CRLF.',
  security: bearerAuth,
  middleware: authenticate(),
  request: { params: IdParam },
  responses: {
    200: { description: 'text/calendar attachment', content: { 'text/calendar': { schema: z.string() } } },
    ...problems(401, 403, 404),
  },
});

export const uploadPhoto = createRoute({
  method: 'post',
  path: '/events/{id}/photo',
  tags,
  summary: 'Add (or replace) the caller’s gallery photo of an event',
  description:
    'Multipart, file in field `photo`. JPEG, PNG, WebP, GIF, HEIC or AVIF by magic bytes (else 415), at most 10 MB (else 413). ' +
    'One photo per user and event: a new upload replaces the old one.',
  security: bearerAuth,
  middleware: authenticate({ budget: 'upload-photo' }),
  request: {
    params: IdParam,
    body: {
      required: true,
      content: {
        'multipart/form-data': {
          schema: z.object({ photo: z.any().openapi({ type: 'string', format: 'binary' }) }).openapi('PhotoUpload'),
        },
      },
    },
  },
  responses: {
    201: jsonContent(GalleryItemSchema, 'The new gallery item'),
    ...problems(400, 401, 403, 404, 413, 415, 429),
  },
});
