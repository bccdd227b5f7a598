/**
 * The calendar feed's statements: its owner (by the token's hash, see
 * feed-token.ts) and its events, in the window below.
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
import { bakerNameOf } from '../events/queries';
import { sha256Hex } from '../lib/encoding';
import { addDays } from '../lib/time';

export const FEED_DAYS_BACK = 90;
export const FEED_DAYS_AHEAD = 365;
/** At most this many events in one feed (the earliest of the window first). */
export const FEED_MAX_EVENTS = 2_000;
/** Part of every ETag: a new calendar layout invalidates what phones cached. */
const FEED_FORMAT = '3';

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
      allergens: events.allergens,
      sequence: events.sequence,
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
