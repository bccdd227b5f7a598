import { and, eq, isNull } from 'drizzle-orm';
import type { Handler } from 'hono';
import { accountCheckQuery, requireStepUp } from '../../auth/step-up';
import { FEED_DAYS_AHEAD, FEED_DAYS_BACK, feedEtag, feedEventsQuery, feedOwnerQuery } from '../../calendar/feed';
import { feedTokenHash, newFeedToken, recoverFeedToken, type StoredFeedToken, TOKEN_PATTERN } from '../../calendar/feed-token';
import { users } from '../../db/schema';
import type { AppContext, HonoEnv } from '../../env';
import { ApiError } from '../../errors';
import { buildCalendar, CALENDAR_CONTENT_TYPE } from '../../ics/calendar';
import { afterResponse } from '../../lib/after-response';
import type { AppRouteHandler } from '../../lib/create-router';
import { ifNoneMatchIncludes } from '../../lib/etag';
import { publicUrl } from '../../lib/public-url';
import { addDays } from '../../lib/time';
import { feedAssignmentsQuery } from '../../planning/assignments';
import type * as routes from './calendar.routes';

function feedUrls(c: AppContext, token: string) {
  const url = `${publicUrl(c)}/api/calendar/${token}.ics`;
  return { url, webcalUrl: url.replace(/^https?:\/\//, 'webcal://') };
}

/** Replaces the stored token if it is still `expected` (compare-and-set); null when it changed meanwhile. */
async function issueFeedToken(c: AppContext, userId: string, expected?: StoredFeedToken): Promise<string | null> {
  const { token, hash, seed } = await newFeedToken(c.env.JWT_SECRET, userId);
  const guard =
    expected === undefined
      ? undefined
      : expected.hash === null
        ? isNull(users.calendarTokenHash)
        : eq(users.calendarTokenHash, expected.hash);
  const updated = await c.var.db
    .update(users)
    .set({ calendarTokenHash: hash, calendarTokenSeed: seed })
    .where(and(eq(users.id, userId), guard))
    .returning({ id: users.id });
  return updated.length ? token : null;
}

const storedTokenQuery = (c: AppContext, userId: string) =>
  c.var.db.select({ hash: users.calendarTokenHash, seed: users.calendarTokenSeed }).from(users).where(eq(users.id, userId));

const storedToken = async (c: AppContext, userId: string) => (await storedTokenQuery(c, userId))[0];

export const getFeedUrl: AppRouteHandler<typeof routes.getFeedUrl> = async (c) => {
  // The usual answer (the token exists) costs one D1 round trip, authentication included.
  const [caller, rows] = await c.var.auth.check((me) => [storedTokenQuery(c, me)]);
  const userId = caller.id;
  const stored = rows[0] ?? { hash: null, seed: null };
  const token =
    (await recoverFeedToken(c.env.JWT_SECRET, userId, stored)) ??
    (await issueFeedToken(c, userId, stored)) ??
    // A concurrent request issued one first: show that one rather than killing it.
    (await recoverFeedToken(c.env.JWT_SECRET, userId, await storedToken(c, userId)));
  if (!token) throw new ApiError('conflict', 'The calendar feed changed meanwhile; try again.');
  return c.json(feedUrls(c, token), 200);
};

export const rotateFeedUrl: AppRouteHandler<typeof routes.rotateFeedUrl> = async (c) => {
  const { password } = c.req.valid('json');
  const [caller, [account]] = await c.var.auth.check((me) => [accountCheckQuery(c.var.db, me)]);
  await requireStepUp(c, caller, { password, field: 'password', account });
  const token = await issueFeedToken(c, caller.id);
  if (!token) throw new ApiError('not_found', 'No such user.');
  return c.json(feedUrls(c, token), 200);
};

const feedNotFound = () => new ApiError('not_found', 'No such calendar feed.');

/**
 * Built calendars, kept in the location's cache under the token's hash and the
 * ETag: a feed is built once per change and location, however often its
 * phones fetch it with or without If-None-Match. The key names no token.
 */
const builtFeedKey = (c: AppContext, tokenHash: string, etag: string) =>
  `${new URL(c.req.url).origin}/api/calendar/.built/${tokenHash}/${etag.replaceAll('"', '')}`;

/**
 * Route path `/calendar/:file` where file is `<token>.ics`. One small
 * indexed read finds the owner and the ETag: a poll with the current ETag is
 * answered 304 from it, a fetch of a calendar built before from the cache;
 * only a changed calendar reads its events (a second round trip) and is built.
 */
export const getCalendarFeed: Handler<HonoEnv> = async (c) => {
  const token = /^(.+)\.ics$/.exec(c.req.param('file') ?? '')?.[1];
  if (!token || !TOKEN_PATTERN.test(token)) throw feedNotFound();
  const db = c.var.db;
  const hash = await feedTokenHash(token);
  const today = new Date().toISOString().slice(0, 10);

  // A batch of one: the same single round trip, and D1 reports its cost (Server-Timing).
  const [[owner]] = await db.batch([feedOwnerQuery(db, hash)]);
  if (!owner) throw feedNotFound();
  const etag = await feedEtag(owner, today);
  const headers = { ETag: etag, 'Cache-Control': 'private, max-age=300' };
  if (ifNoneMatchIncludes(c.req.header('If-None-Match'), etag)) return c.body(null, 304, headers);

  const calendarHeaders = {
    ...headers,
    'Content-Type': CALENDAR_CONTENT_TYPE,
    'Content-Disposition': 'inline; filename="cake-planner.ics"',
  };
  const key = builtFeedKey(c, hash, etag);
  const built = await caches.default.match(key);
  if (built) return c.body(await built.text(), 200, calendarHeaders);

  const [rows, assigned] = await db.batch([
    feedEventsQuery(db, hash, today),
    feedAssignmentsQuery(db, hash, addDays(today, -FEED_DAYS_BACK), addDays(today, FEED_DAYS_AHEAD)),
  ]);
  const unconfirmed = assigned.map((a) => ({ ...a, description: '', allergens: null, sequence: 0, unconfirmed: true }));
  const entries = [...rows, ...unconfirmed].sort((a, b) => a.date.localeCompare(b.date));
  const body = await buildCalendar(entries, owner.language);
  afterResponse(
    c,
    caches.default.put(key, new Response(body, { headers: { 'Cache-Control': 'public, max-age=86400' } })).catch(() => {}),
  );
  return c.body(body, 200, calendarHeaders);
};
