/**
 * Built calendars this isolate served lately, in front of the location's
 * cache: phones poll their feeds all day, and a hit here costs no cache
 * lookup. Keyed like the cache (token hash and ETag, so any change to a feed
 * is a new key and a stale calendar is never served); bounded by size.
 */
import { SizedMemo, stringBytes } from '../lib/sized-memo';

const BUILT_FEEDS_BYTES = 8 * 1024 * 1024;

const builtFeeds = new SizedMemo<string>(BUILT_FEEDS_BYTES, stringBytes);

export const recentFeed = (key: string): string | undefined => builtFeeds.get(key);

export function keepFeed(key: string, body: string): void {
  builtFeeds.set(key, body);
}
