/**
 * The calendar-feed token. It is never stored: `users.calendar_token_hash`
 * holds the SHA-256 of the token (the feed finds its owner by equality on
 * that unique column), `users.calendar_token_seed` a random 128-bit seed;
 * the token is an HMAC of the user id and the seed under a key derived for
 * this purpose from the server secret (src/lib/keys.ts), so
 * GET /api/user/calendar shows the same URL again without keeping the token.
 * Rotating draws a new seed, which kills the old URL.
 */
import { sql } from 'drizzle-orm';
import { users } from '../db/schema';
import { sha256Hex, toBase64Url, toHex } from '../lib/encoding';
import { hmac } from '../lib/hmac';
import { purposeKey } from '../lib/keys';

export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

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
export async function recoverFeedToken(
  secret: string,
  userId: string,
  stored: StoredFeedToken | undefined,
): Promise<string | null> {
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
