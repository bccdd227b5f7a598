import { createRoute, z } from '@hono/zod-openapi';
import { requireAuth } from '../../auth/middleware';
import { FEED_DAYS_AHEAD, FEED_DAYS_BACK, FEED_MAX_EVENTS } from '../../events/feed';
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
  middleware: [requireAuth({ deferred: true })] as const,
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
  security: bearerAuth,
  middleware: [requireAuth()] as const,
  responses: {
    200: jsonContent(FeedUrlsSchema, 'The new subscription URLs'),
    ...problems(401, 403),
  },
});

/**
 * Documented here, served by a plain Hono route: Hono cannot put a suffix
 * (`.ics`) after a path parameter, so the router takes the whole segment.
 */
export const getFeed = createRoute({
  method: 'get',
  path: '/calendar/{token}.ics',
  tags: ['Calendar'],
  summary: 'Calendar feed (public; the token is the credential)',
  description:
    `All events of the user's groups from ${FEED_DAYS_BACK} days back to ${FEED_DAYS_AHEAD} days ahead as all-day ` +
    `VEVENTs with stable UIDs, at most ${FEED_MAX_EVENTS} (the earliest first). Supports ETag / If-None-Match: the ETag ` +
    'changes when an event, a baker or group name, the language or the user\'s groups change (and daily, as the window ' +
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
