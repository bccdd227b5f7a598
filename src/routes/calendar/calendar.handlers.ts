import type { RouteHandler } from '@hono/zod-openapi';
import { and, eq, isNull } from 'drizzle-orm';
import type { Context, Handler } from 'hono';
import { users } from '../../db/schema';
import type { HonoEnv } from '../../env';
import { ApiError } from '../../errors';
import { feedQueries, newFeedToken, recoverFeedToken, TOKEN_PATTERN } from '../../events/feed';
import { buildCalendar, CALENDAR_CONTENT_TYPE } from '../../ics/calendar';
import { sha256Hex } from '../../lib/encoding';
import { publicUrl } from '../../lib/public-url';
import { authorize, claimsOf } from '../../auth/middleware';
import type { getFeedUrl, rotateFeedUrl } from './calendar.routes';

function feedUrls(c: Context<HonoEnv>, token: string) {
  const url = `${publicUrl(c)}/api/calendar/${token}.ics`;
  return { url, webcalUrl: url.replace(/^https?:\/\//, 'webcal://') };
}

/** Replaces the stored token value if it is still `expected` (compare-and-set); null when it changed meanwhile. */
async function issueToken(c: Context<HonoEnv>, userId: string, expected?: string | null): Promise<string | null> {
  const { token, stored } = await newFeedToken(c.env.JWT_SECRET, userId);
  const guard =
    expected === undefined
      ? undefined
      : expected === null
        ? isNull(users.calendarTokenHash)
        : eq(users.calendarTokenHash, expected);
  const updated = await c.var.db
    .update(users)
    .set({ calendarTokenHash: stored })
    .where(and(eq(users.id, userId), guard))
    .returning({ id: users.id });
  return updated.length ? token : null;
}

const storedTokenQuery = (c: Context<HonoEnv>, userId: string) =>
  c.var.db.select({ stored: users.calendarTokenHash }).from(users).where(eq(users.id, userId));

const storedToken = async (c: Context<HonoEnv>, userId: string) => (await storedTokenQuery(c, userId))[0]?.stored ?? null;

export const showFeedUrl: RouteHandler<typeof getFeedUrl, HonoEnv> = async (c) => {
  // The usual answer (the token exists) costs one D1 round trip, authentication included.
  const [caller, rows] = await authorize(c, storedTokenQuery(c, claimsOf(c).sub));
  const userId = caller.id;
  const stored = rows[0]?.stored ?? null;
  const token =
    (await recoverFeedToken(c.env.JWT_SECRET, userId, stored)) ??
    (await issueToken(c, userId, stored)) ??
    // A concurrent request issued one first: show that one rather than killing it.
    (await recoverFeedToken(c.env.JWT_SECRET, userId, await storedToken(c, userId)));
  if (!token) throw new ApiError('conflict', 'The calendar feed changed meanwhile; try again.');
  return c.json(feedUrls(c, token), 200);
};

export const rotateFeed: RouteHandler<typeof rotateFeedUrl, HonoEnv> = async (c) => {
  const token = await issueToken(c, c.var.caller.id);
  if (!token) throw new ApiError('not_found', 'No such user.');
  return c.json(feedUrls(c, token), 200);
};

const feedNotFound = () => new ApiError('not_found', 'No such calendar feed.');

/** Route path `/calendar/:file` where file is `<token>.ics`. */
export const serveFeed: Handler<HonoEnv> = async (c) => {
  const token = /^(.+)\.ics$/.exec(c.req.param('file') ?? '')?.[1];
  if (!token || !TOKEN_PATTERN.test(token)) throw feedNotFound();
  const db = c.var.db;
  const [owner, rows] = await db.batch(await feedQueries(db, token, new Date().toISOString().slice(0, 10)));
  if (!owner[0]) throw feedNotFound();

  const body = buildCalendar(rows, owner[0].language);
  const etag = `"${(await sha256Hex(body)).slice(0, 32)}"`;
  const headers = { ETag: etag, 'Cache-Control': 'private, max-age=300' };
  const ifNoneMatch = c.req.header('If-None-Match');
  if (ifNoneMatch && ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) {
    return c.body(null, 304, headers);
  }
  return c.body(body, 200, {
    ...headers,
    'Content-Type': CALENDAR_CONTENT_TYPE,
    'Content-Disposition': 'inline; filename="cake-planner.ics"',
  });
};
