/** Calendar dates in a group's time zone. */
// With its extension: Node's scripts (seed, import) load this module as it is.
import { SizedMemo } from './sized-memo.ts';

// Building an Intl.DateTimeFormat costs about a quarter of a millisecond, formatting
// with one a microsecond: one per time zone for the isolate's life (a list of a
// thousand events asks for today a thousand times). Keyed by a zone name (at most
// 64 characters); a format's own size is not observable, so each is counted at a
// generous 2 KB: the bound keeps 200, far above the zones a deployment's groups use.
const FORMAT_BYTES = 2048;
const dayFormats = new SizedMemo<Intl.DateTimeFormat>(200 * (FORMAT_BYTES + 128), () => FORMAT_BYTES);

/** `YYYY-MM-DD` of `at` as seen in `timeZone`. */
export function localDate(timeZone: string, at: Date = new Date()): string {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, format);
  }
  return format.format(at);
}

/** Upcoming = after today in the given time zone (the day itself is no longer upcoming). */
export const isUpcoming = (date: string, timeZone: string, now?: Date) => date > localDate(timeZone, now);

/** The form of an IANA zone name: `Area/Location[/…]`, or one word such as `UTC`; never an offset. */
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_-]*(?:\/[A-Za-z0-9_+-]+)*$/;

/**
 * An IANA zone name, as the contract says, that the runtime knows. Not
 * whatever `Intl.DateTimeFormat` takes: current engines also take offsets
 * such as `+01:00`, which are no zone (no DST rules, no name a calendar app
 * understands). Not only `Intl.supportedValuesOf('timeZone')` either: that
 * list holds one name per zone, and leaves out current names such as
 * `Asia/Kolkata` or `Europe/Kyiv`, which the engine knows as links.
 */
export function isValidTimeZone(timeZone: string): boolean {
  if (timeZone.length > 64 || !ZONE_NAME.test(timeZone)) return false;
  try {
    // The zone's day format, built (and kept) as every later read of the group's today needs it.
    localDate(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** True for a real calendar date in `YYYY-MM-DD` form (2026-02-30 is not). */
export function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** Whole days from `a` to `b` (both `YYYY-MM-DD`). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The UTC instant (ISO string) at which the local date `date` begins in
 * `timeZone`: "joined on or before D, by the group's local date" is
 * `joined_at < startOfLocalDay(tz, D + 1)`, one comparison on stored UTC
 * timestamps. Found by taking the zone's offset at a first guess and again
 * at the corrected instant (one DST change a day at most).
 */
export function startOfLocalDay(timeZone: string, date: string): string {
  const midnightUtc = Date.parse(`${date}T00:00:00Z`);
  let at = midnightUtc - offsetMs(timeZone, midnightUtc);
  at = midnightUtc - offsetMs(timeZone, at);
  return new Date(at).toISOString();
}

const offsetFormats = new SizedMemo<Intl.DateTimeFormat>(200 * (FORMAT_BYTES + 128), () => FORMAT_BYTES);

/** How far `timeZone` is ahead of UTC at the instant `at` (ms). */
function offsetMs(timeZone: string, at: number): number {
  let format = offsetFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    offsetFormats.set(timeZone, format);
  }
  const part = Object.fromEntries(format.formatToParts(new Date(at)).map((p) => [p.type, Number(p.value)]));
  const local = Date.UTC(part.year!, part.month! - 1, part.day!, part.hour!, part.minute!, part.second!);
  return local - Math.floor(at / 1000) * 1000;
}
