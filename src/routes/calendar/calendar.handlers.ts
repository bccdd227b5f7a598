import type { RouteHandler } from '@hono/zod-openapi';
import { and, eq, isNull } from 'drizzle-orm';
import type { Context, Handler } from 'hono';
import { users } from '../../db/schema';
import type { HonoEnv } from '../../env';
import { ApiError } from '../../errors';
import {
  feedEtag,
  feedEventsQuery,
  feedOwnerQuery,
  feedTokenHash,
  newFeedToken,
  recoverFeedToken,
  TOKEN_PATTERN,
  type FeedOwner,
  type StoredFeedToken,
} from '../../events/feed';
import { buildCalendar, CALENDAR_CONTENT_TYPE } from '../../ics/calendar';
import { publicUrl } from '../../lib/public-url';
import { authorize, claimsOf } from '../../auth/middleware';
import type { getFeedUrl, rotateFeedUrl } from './calendar.routes';

function feedUrls(c: Context<HonoEnv>, token: string) {
  const url = `${publicUrl(c)}/api/calendar/${token}.ics`;
  return { url, webcalUrl: url.replace(/^https?:\/\//, 'webcal://') };
}

/** Replaces the stored token if it is still `expected` (compare-and-set); null when it changed meanwhile. */
async function issueFeedToken(c: Context<HonoEnv>, userId: string, expected?: StoredFeedToken): Promise<string | null> {
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

const storedTokenQuery = (c: Context<HonoEnv>, userId: string) =>
  c.var.db
    .select({ hash: users.calendarTokenHash, seed: users.calendarTokenSeed })
    .from(users)
    .where(eq(users.id, userId));

const storedToken = async (c: Context<HonoEnv>, userId: string) => (await storedTokenQuery(c, userId))[0];

export const showFeedUrl: RouteHandler<typeof getFeedUrl, HonoEnv> = async (c) => {
  // The usual answer (the token exists) costs one D1 round trip, authentication included.
  const [caller, rows] = await authorize(c, storedTokenQuery(c, claimsOf(c).sub));
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

export const rotateFeed: RouteHandler<typeof rotateFeedUrl, HonoEnv> = async (c) => {
  const token = await issueFeedToken(c, c.var.caller.id);
  if (!token) throw new ApiError('not_found', 'No such user.');
  return c.json(feedUrls(c, token), 200);
};

const feedNotFound = () => new ApiError('not_found', 'No such calendar feed.');

const matches = (ifNoneMatch: string | undefined, etag: string) =>
  !!ifNoneMatch && ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);

/**
 * Route path `/calendar/:file` where file is `<token>.ics`. A poll that
 * sends If-None-Match costs one small indexed read when nothing changed
 * (304, no calendar built), two round trips when it did; a first fetch one.
 */
export const serveFeed: Handler<HonoEnv> = async (c) => {
  const token = /^(.+)\.ics$/.exec(c.req.param('file') ?? '')?.[1];
  if (!token || !TOKEN_PATTERN.test(token)) throw feedNotFound();
  const db = c.var.db;
  const hash = await feedTokenHash(token);
  const today = new Date().toISOString().slice(0, 10);
  const ifNoneMatch = c.req.header('If-None-Match');

  let owner: FeedOwner | undefined;
  let rows: Awaited<ReturnType<typeof feedEventsQuery>> | undefined;
  // Batches of one: the same single round trip, and D1 reports their cost (Server-Timing).
  if (ifNoneMatch) [[owner]] = await db.batch([feedOwnerQuery(db, hash)]);
  else {
    const [owners, found] = await db.batch([feedOwnerQuery(db, hash), feedEventsQuery(db, hash, today)]);
    [owner, rows] = [owners[0], found];
  }
  if (!owner) throw feedNotFound();
  const etag = await feedEtag(owner, today);
  const headers = { ETag: etag, 'Cache-Control': 'private, max-age=300' };
  if (matches(ifNoneMatch, etag)) return c.body(null, 304, headers);

  rows ??= (await db.batch([feedEventsQuery(db, hash, today)]))[0];
  return c.body(buildCalendar(rows, owner.language), 200, {
    ...headers,
    'Content-Type': CALENDAR_CONTENT_TYPE,
    'Content-Disposition': 'inline; filename="cake-planner.ics"',
  });
};
