import { createRoute, z } from '@hono/zod-openapi';
import { authenticate } from '../../auth/authenticate';
import { PER_MINUTE } from '../../auth/budgets';
import { bearerAuth, jsonContent, problems, Timestamp } from '../../lib/openapi';
import { MAX_STREAMS_PER_USER } from '../../live/group-hub';
import { bearerOrStreamTicket } from './stream.credentials';

const tags = ['Events'];

const StreamTicket = z
  .object({
    ticket: z.string().openapi({ description: 'Single use, valid for one minute' }),
    expiresAt: Timestamp,
  })
  .openapi('StreamTicket');

export const createStreamTicket = createRoute({
  method: 'post',
  path: '/events/stream/ticket',
  tags,
  summary: 'A one-minute, single-use ticket to open the live stream with EventSource',
  description:
    'EventSource cannot send headers: open `GET /api/events/stream?ticket=...` with it. The JWT never goes into a URL. ' +
    'The ticket belongs to the session that asked for it: once that session is revoked (password change, deactivation), ' +
    `the ticket is refused with 401. At most ${PER_MINUTE} a minute per user (429 with \`Retry-After\`).`,
  security: bearerAuth,
  middleware: authenticate({ budget: 'stream-ticket', upfront: true }),
  responses: {
    200: jsonContent(StreamTicket, 'The ticket'),
    ...problems(401, 403, 429),
  },
});

export const openStream = createRoute({
  method: 'get',
  path: '/events/stream',
  tags,
  summary: 'Live updates of all the caller’s groups (server-sent events)',
  description: [
    'Authenticate with `Authorization: Bearer <JWT>` or with `?ticket=` from `POST /api/events/stream/ticket`.',
    'A `token`, `jwt` or `access_token` query parameter is refused with 401: a JWT never belongs in a URL.',
    '',
    'Framing: `retry: 3000` once at the start; every message as `data: <json>\\n\\n` followed by a separate',
    '`id: <cursor>\\n\\n` block; a `: ping` comment every 15 s. Messages are `{type, groupId, eventId, ...}` with',
    '`type` one of `NEW_EVENT` (`bakerName`, `date`), `EVENT_DELETED`, `EVENT_RATED` (`average`, `count`),',
    '`PHOTO_ADDED` (`userName`), `ASSIGNMENT_CHANGED` `{type, groupId, date, assignmentId, status, userId, userName,',
    'eventId?}` (an assignment made, answered or withdrawn; `eventId` is the cake an accept made), `EVENT_UPDATED`',
    '(`date`, `bakerName`, `description`: also after a hand-over or a swap), `HANDOVER_OFFERED` (`handoverId`, `date`,',
    '`offeredBy`), `HANDOVER_TAKEN` (`handoverId`, `date`, `takenBy`, `offeredBy`). Clients ignore types they do not know.',
    '',
    'The id is a cursor over all groups of the stream: base64url of the JSON object `{groupId: sequence, ...}`.',
    'One id block is also sent once the stream is subscribed, so a client may resume even before its first message.',
    'Reconnect with the `Last-Event-ID` header (or `lastEventId` query parameter) to receive what was missed',
    "(each group keeps at least its last 100 messages and all of the last 24 h, of each event's ratings only the",
    "latest), never older than the caller's joining of that group. An unreadable id resumes nothing.",
    'A ticket is single use, so an EventSource cannot reconnect with its old URL: take a new ticket and open',
    '`?ticket=<new>&lastEventId=<last id seen>`.',
    '',
    'Membership is read when the stream opens (a global admin receives the groups they are a member of) and',
    'checked again before each delivery: a caller removed from a group stops receiving it; a revoked or',
    'deactivated caller’s stream ends, within 60 s even on a quiet group (the stream re-reads its session every',
    '45 s). Groups joined later appear after a reconnect. A caller in no group gets 409: nothing would arrive.',
    '',
    `A user has at most ${MAX_STREAMS_PER_USER} open streams: opening another ends the oldest one (its response simply`,
    'ends, as after any interruption; a client that reconnects then takes a place in turn). Close streams you no',
    'longer read, and share one stream between the tabs of a browser where you can.',
  ].join('\n'),
  security: [...bearerAuth, {}],
  middleware: authenticate({ credentials: bearerOrStreamTicket, primary: true }),
  request: {
    query: z.object({
      ticket: z.string().max(4096).optional().openapi({ description: 'Stream ticket (for EventSource)' }),
      lastEventId: z.string().max(65536).optional().openapi({ description: 'Resume cursor, as the Last-Event-ID header' }),
    }),
  },
  responses: {
    200: {
      description: 'An endless text/event-stream',
      content: { 'text/event-stream': { schema: z.string() } },
    },
    ...problems(400, 401, 403, 409),
  },
});
