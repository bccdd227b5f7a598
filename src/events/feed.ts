// Events, domain module (src/events/). HTTP routes: src/routes/events/; table: `events` in src/db/schema.ts.
/**
 * The calendar-feed token. It is never stored: `users.calendar_token_hash`
 * holds the SHA-256 of the token (the feed finds its owner by equality on
 * that unique column), `users.calendar_token_seed` a random 128-bit seed;
 * the token is an HMAC of the user id and the seed under a key derived for
 * this purpose from the server secret (src/lib/keys.ts), so
 * GET /api/user/calendar shows the same URL again without keeping the token.
 * Rotating draws a new seed, which kills the old URL.
 *
 * A feed is polled by phones all day, so it answers 304 cheaply: its ETag is
 * a digest of the day, the owner's language and the `feed_version` of each
 * of the owner's groups (bumped by triggers whenever an event, a baker's name
 * or a group's name changes), read in one indexed statement without building
 * the calendar.
 */
import { and, asc, between, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { events, groups, memberships, users } from '../db/schema';
import { sha256Hex, toBase64Url, toHex } from '../lib/encoding';
import { hmac } from '../lib/hmac';
import { purposeKey } from '../lib/keys';
import { addDays } from '../lib/time';
import { bakerNameOf } from './queries';

export const FEED_DAYS_BACK = 90;
export const FEED_DAYS_AHEAD = 365;
/** At most this many events in one feed (the earliest of the window first). */
export const FEED_MAX_EVENTS = 2_000;
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
/** Part of every ETag: a new calendar layout invalidates what phones cached. */
const FEED_FORMAT = '2';

const deriveToken = async (secret: string, userId: string, seed: string) =>
  toBase64Url(await hmac(await purposeKey(secret, 'calendar-feed'), `${userId}\u0000${seed}`));

export interface StoredFeedToken {
  hash: string | null;
  seed: string | null;
}

export async function newFeedToken(secret: string, userId: string): Promise<{ token: string; hash: string; seed: string }> {
  const seed = toHex(crypto.getRandomValues(new Uint8Array(16)));
  const token = await deriveToken(secret, userId, seed);
  return { token, hash: await sha256Hex(token), seed };
}

/** The token behind a stored value, or null when it no longer matches (server secret changed). */
export async function recoverFeedToken(secret: string, userId: string, stored: StoredFeedToken | undefined): Promise<string | null> {
  if (!stored?.hash || !stored.seed) return null;
  const token = await deriveToken(secret, userId, stored.seed);
  return (await sha256Hex(token)) === stored.hash ? token : null;
}

export const feedTokenHash = (token: string) => sha256Hex(token);

/**
 * Columns of a users update that replaces the feed token of a user who has
 * one (the old URL then answers 404): password changes and temporary-password
 * sign-ins, so whoever once held a session cannot keep reading the calendar.
 */
export async function replacedFeedToken(secret: string, userId: string) {
  const { hash, seed } = await newFeedToken(secret, userId);
  return {
    calendarTokenHash: sql<string | null>`case when ${users.calendarTokenHash} is null then null else ${hash} end`,
    calendarTokenSeed: sql<string | null>`case when ${users.calendarTokenHash} is null then null else ${seed} end`,
  };
}

/** The active owner of a token, with what the ETag is made of. */
// The outer user is named in full: drizzle renders a bare "id" here, which the inner groups table would capture.
export function feedOwnerQuery(db: Database, tokenHash: string) {
  return db
    .select({
      id: users.id,
      language: users.language,
      versions: sql<string | null>`(select group_concat(v, ',') from (
          select fm.group_id || ':' || fg.feed_version as v from memberships fm join groups fg on fg.id = fm.group_id
          where fm.user_id = "users"."id" order by fm.group_id))`,
    })
    .from(users)
    .where(and(eq(users.calendarTokenHash, tokenHash), eq(users.isActive, true)))
    .limit(1);
}

export type FeedOwner = Awaited<ReturnType<typeof feedOwnerQuery>>[number];

export async function feedEtag(owner: FeedOwner, today: string): Promise<string> {
  return `"${(await sha256Hex(`${FEED_FORMAT}|${today}|${owner.language}|${owner.versions ?? ''}`)).slice(0, 32)}"`;
}

/** The feed's events: the owner's groups (found by the token hash), the window, in order. */
export function feedEventsQuery(db: Database, tokenHash: string, today: string) {
  const ownerGroups = db
    .select({ id: memberships.groupId })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(users.calendarTokenHash, tokenHash), eq(users.isActive, true)));
  return db
    .select({
      id: events.id,
      date: events.date,
      description: events.description,
      createdAt: events.createdAt,
      groupName: groups.name,
      bakerName: bakerNameOf(events.bakerId),
    })
    .from(events)
    .innerJoin(groups, eq(groups.id, events.groupId))
    .where(
      and(
        inArray(events.groupId, ownerGroups),
        between(events.date, addDays(today, -FEED_DAYS_BACK), addDays(today, FEED_DAYS_AHEAD)),
      ),
    )
    .orderBy(asc(events.date), asc(events.createdAt), asc(events.id))
    .limit(FEED_MAX_EVENTS);
}
