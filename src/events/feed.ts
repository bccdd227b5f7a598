/**
 * The calendar-feed token. It is never stored: `users.calendar_token_hash`
 * holds `<sha256 hex of the token>.<seed>`, and the token is an HMAC of the
 * user id and that random 128-bit seed under a server secret. The hash part
 * finds the user; the seed lets GET /api/user/calendar show the same URL
 * again without keeping the token (useless without the server secret).
 * Rotating draws a new seed, which kills the old URL.
 */
import { and, asc, between, eq, gte, lt, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { events, groups, memberships, users } from '../db/schema';
import { sha256Hex, toBase64Url, toHex } from '../lib/encoding';
import { addDays } from '../lib/time';
import { bakerNameOf } from './queries';

export const FEED_DAYS_BACK = 90;
export const FEED_DAYS_AHEAD = 365;
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

async function deriveToken(secret: string, userId: string, seed: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`calendar-feed\u0000${userId}\u0000${seed}`));
  return toBase64Url(new Uint8Array(mac));
}

export async function newFeedToken(secret: string, userId: string): Promise<{ token: string; stored: string }> {
  const seed = toHex(crypto.getRandomValues(new Uint8Array(16)));
  const token = await deriveToken(secret, userId, seed);
  return { token, stored: `${await sha256Hex(token)}.${seed}` };
}

/** The token behind a stored value, or null when it no longer matches (server secret changed). */
export async function recoverFeedToken(secret: string, userId: string, stored: string | null): Promise<string | null> {
  const [hash, seed] = (stored ?? '').split('.');
  if (!hash || !seed) return null;
  const token = await deriveToken(secret, userId, seed);
  return (await sha256Hex(token)) === hash ? token : null;
}

/** Matches stored values starting with `<hash>.` (a range, so the unique index serves it). */
export async function storedTokenMatches(token: string) {
  const hash = await sha256Hex(token);
  return and(gte(users.calendarTokenHash, `${hash}.`), lt(users.calendarTokenHash, `${hash}/`))!;
}

export async function feedQueries(db: Database, token: string, today: string) {
  const owner = await storedTokenMatches(token);
  return [
    db.select({ id: users.id, language: users.language }).from(users).where(and(owner, eq(users.isActive, true))).limit(1),
    db
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
      .innerJoin(memberships, eq(memberships.groupId, events.groupId))
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(
        and(
          owner,
          eq(users.isActive, true),
          between(events.date, addDays(today, -FEED_DAYS_BACK), addDays(today, FEED_DAYS_AHEAD)),
        ),
      )
      .orderBy(asc(events.date), asc(events.createdAt), asc(events.id)),
  ] as const;
}
