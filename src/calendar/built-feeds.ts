/**
 * Built calendars this isolate served lately, in front of the location's
 * cache: phones poll their feeds all day, and a hit here costs no cache
 * lookup. Keyed like the cache (token hash and ETag, so any change to a feed
 * is a new key and a stale calendar is never served); bounded by size, the
 * least recently served out first.
 */
const BUILT_FEEDS_BYTES = 8 * 1024 * 1024;

const builtFeeds = new Map<string, string>();
let keptBytes = 0;

// Strings count two bytes a character at most in V8; size is what bounds memory.
const bytesOf = (body: string) => body.length * 2;

export function recentFeed(key: string): string | undefined {
  const body = builtFeeds.get(key);
  if (body === undefined) return undefined;
  builtFeeds.delete(key);
  builtFeeds.set(key, body);
  return body;
}

export function keepFeed(key: string, body: string): void {
  const size = bytesOf(body);
  if (size > BUILT_FEEDS_BYTES / 4 || builtFeeds.has(key)) return;
  while (keptBytes + size > BUILT_FEEDS_BYTES) {
    const [oldest, old] = builtFeeds.entries().next().value!;
    builtFeeds.delete(oldest);
    keptBytes -= bytesOf(old);
  }
  builtFeeds.set(key, body);
  keptBytes += size;
}
