import { createRoute, z } from '@hono/zod-openapi';
import { authenticate } from '../../auth/authenticate';
import { HOURLY_BUDGETS } from '../../auth/budgets';
import { STEP_UP_SECONDS } from '../../auth/step-up';
import { FEED_DAYS_AHEAD, FEED_DAYS_BACK, FEED_MAX_EVENTS } from '../../calendar/feed';
import { bearerAuth, jsonContent, problems } from '../../lib/openapi';

const FeedUrlsSchema = z
  .object({
    url: z.string().openapi({ example: 'https://cake.example/api/calendar/abc….ics' }),
    webcalUrl: z.string().openapi({ example: 'webcal://cake.example/api/calendar/abc….ics' }),
  })
  .openapi('CalendarFeed');

export const getFeedUrl = createRoute({
  method: 'get',
  path: '/user/calendar',
  tags: ['Calendar'],
  summary: 'The caller’s calendar-feed URL (created on first use)',
  description:
    'The URL embeds a random 256-bit token; the database stores only its SHA-256 hash (plus a seed from which the ' +
    'server, with its secret, re-derives the same token to show the URL again).',
  security: bearerAuth,
  middleware: authenticate(),
  responses: {
    200: jsonContent(FeedUrlsSchema, 'Subscription URLs'),
    ...problems(401, 403, 409),
  },
});

export const rotateFeedUrl = createRoute({
  method: 'post',
  path: '/user/calendar/rotate',
  tags: ['Calendar'],
  summary: 'Replace the calendar-feed token (the old URL stops working)',
  description:
    `Step-up: needs a session signed in at most ${STEP_UP_SECONDS / 60} minutes ago, or the current \`password\` in ` +
    'the body (403 `reauthentication_required` otherwise; a wrong password is 401). ' +
    `At most ${HOURLY_BUDGETS['rotate-calendar']} a user per hour (429 with \`Retry-After\`).`,
  security: bearerAuth,
  middleware: authenticate({ budget: 'rotate-calendar' }),
  request: {
    body: {
      required: false,
      content: {
        'application/json': {
          schema: z.object({ password: z.string().min(1).max(1024).optional() }).openapi('RotateFeedRequest'),
        },
      },
    },
  },
  responses: {
    200: jsonContent(FeedUrlsSchema, 'The new subscription URLs'),
    ...problems(400, 401, 403, 429),
  },
});

/**
 * Documented here, served by a plain Hono route: Hono cannot put a suffix
 * (`.ics`) after a path parameter, so the router takes the whole segment.
 */
export const getCalendarFeed = createRoute({
  method: 'get',
  path: '/calendar/{token}.ics',
  tags: ['Calendar'],
  summary: 'Calendar feed (public; the token is the credential)',
  description:
    `All events of the user's groups from ${FEED_DAYS_BACK} days back to ${FEED_DAYS_AHEAD} days ahead as all-day ` +
    `VEVENTs with stable UIDs, at most ${FEED_MAX_EVENTS} (the earliest first). Supports ETag / If-None-Match: the ETag ` +
    "changes when an event, a baker or group name, the language or the user's groups change (and daily, as the window " +
    'moves), and a poll with the current one answers 304 without building the calendar. 404 for an unknown token or an ' +
    'inactive user.',
  request: {
    params: z.object({ token: z.string().openapi({ param: { name: 'token', in: 'path' } }) }),
  },
  responses: {
    200: { description: 'The calendar', content: { 'text/calendar': { schema: z.string() } } },
    304: { description: 'Not modified' },
    ...problems(404),
  },
});
