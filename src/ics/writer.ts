/**
 * Calendars of cake events (loaded on first use, see ./calendar.ts): all-day VEVENTs (DTSTART;VALUE=DATE, DTEND the
 * next day) with stable UIDs, used by the per-event download and the
 * subscription feed.
 *
 * The `ics` package writes the calendar and escapes TEXT (`\\`, `;`, `,`,
 * newlines). Two things it leaves to us: it folds at 75 *characters*, so its
 * output is unfolded and folded again at 75 octets (umlauts and emoji are
 * multi-byte), and it only escapes LF/CRLF, so line breaks are normalised and
 * other control characters (not allowed in TEXT) dropped before it sees them.
 */
import { createEvents, type DateArray, type EventAttributes } from 'ics';
import type { Language } from '../db/schema';
import { ALLERGEN_NAMES } from '../events/dietary';
import { SizedMemo, stringBytes } from '../lib/sized-memo';
import { addDays } from '../lib/time';
import type { CalendarEvent } from './calendar';
import { foldLine } from './fold';

const SUMMARY: Record<Language, (e: CalendarEvent) => string> = {
  en: (e) => (e.unconfirmed ? `Your cake day (please confirm) (${e.groupName})` : `Cake by ${e.bakerName} (${e.groupName})`),
  de: (e) =>
    e.unconfirmed ? `Dein Kuchentag (bitte bestätigen) (${e.groupName})` : `Kuchen von ${e.bakerName} (${e.groupName})`,
};

const CALENDAR_NAME: Record<Language, string> = { en: 'Cake Planner', de: 'Kuchenplaner' };

/** The line stating a cake's allergens in `language`; nothing when the baker stated none. */
const ALLERGEN_LINE: Record<Language, (names: string[]) => string> = {
  en: (names) => (names.length ? `Allergens: ${names.join(', ')}` : 'Allergens: none of the 14'),
  de: (names) => (names.length ? `Allergene: ${names.join(', ')}` : 'Allergene: keines der 14'),
};

function allergenLine(bits: number | null, language: Language): string | null {
  if (bits === null) return null;
  return ALLERGEN_LINE[language](ALLERGEN_NAMES[language].filter((_, i) => (bits >> i) & 1));
}

/** The entry's text: the baker's description, then the allergens when stated. */
function descriptionOf(event: CalendarEvent, language: Language): string {
  return [event.description, allergenLine(event.allergens, language)].filter(Boolean).join('\n\n');
}

/** An assignment's entry has a UID of its own: once accepted, its cake's entry takes its place. */
const eventUid = (event: CalendarEvent) =>
  event.unconfirmed ? `assignment-${event.id}@cake-planner` : `${event.id}@cake-planner`;

/** Plain text as RFC 5545 TEXT allows it: one kind of line break, no other control characters. */
function plainText(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what is removed.
  return text.replace(/\r\n|\r/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
}

const dateArray = (date: string) => date.split('-').map(Number) as DateArray;

/** `timestamp` (DTSTAMP) is validated and written by `ics` but missing from its typings. */
type StampedEvent = EventAttributes & { timestamp: number };

function toAttributes(event: CalendarEvent, language: Language): StampedEvent {
  return {
    uid: eventUid(event),
    // A stable DTSTAMP keeps the calendar byte-identical (and its ETag) until an event changes.
    timestamp: Date.parse(event.createdAt),
    start: dateArray(event.date),
    end: dateArray(addDays(event.date, 1)),
    title: plainText(SUMMARY[language](event)),
    sequence: event.sequence,
    ...(descriptionOf(event, language) ? { description: plainText(descriptionOf(event, language)) } : {}),
    transp: 'TRANSPARENT',
  };
}

/** `ics` continues folded lines with CRLF + TAB; no content line holds a raw CRLF otherwise. */
const unfold = (calendar: string) => calendar.replace(/\r\n[\t ]/g, '');

/** `ics` output, refolded at 75 octets, as CRLF-terminated lines. */
function written(events: EventAttributes[], language: Language): string {
  const { error, value } = createEvents(events, {
    productId: '-//Cake Planner//Cake Planner API//EN',
    method: 'PUBLISH',
    calName: CALENDAR_NAME[language],
  });
  // Inputs come from validated rows, so a refusal here is a bug, not bad client input.
  if (error || value === null) throw error ?? new Error('calendar could not be written');
  const lines = unfold(value).split('\r\n');
  lines.pop(); // the empty string after the final CRLF
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}

/**
 * `ics` validates every event it writes (about half a millisecond each), and
 * a group's events stand in every member's feed: each VEVENT is written once
 * per isolate and kept by its content. Bounded by bytes, keys included (a
 * key holds the event's description and names, as large as the VEVENT):
 * 8 MB is some 6,000 events of ordinary length, three full feeds.
 */
const WRITTEN_EVENTS_BYTES = 8 * 1024 * 1024;
const writtenEvents = new SizedMemo<string>(WRITTEN_EVENTS_BYTES, stringBytes);

function vevent(event: CalendarEvent, language: Language): string {
  const key = JSON.stringify([
    language,
    event.id,
    event.date,
    event.createdAt,
    event.bakerName,
    event.groupName,
    event.description,
    event.unconfirmed === true,
    event.allergens,
    event.sequence,
  ]);
  let text = writtenEvents.get(key);
  if (text === undefined) {
    const calendar = written([toAttributes(event, language)], language);
    text = calendar.slice(calendar.indexOf('BEGIN:VEVENT\r\n'), calendar.lastIndexOf('END:VEVENT\r\n') + 'END:VEVENT\r\n'.length);
    writtenEvents.set(key, text);
  }
  return text;
}

/** The calendar's frame (header and footer) per language, written once: two small entries, one per language. */
const frames = new Map<Language, [string, string]>();

function frame(language: Language): [string, string] {
  let parts = frames.get(language);
  if (!parts) {
    const empty = written([], language);
    const end = empty.lastIndexOf('END:VCALENDAR\r\n');
    parts = [empty.slice(0, end), empty.slice(end)];
    frames.set(language, parts);
  }
  return parts;
}

export function writeCalendar(events: CalendarEvent[], language: Language): string {
  const [head, foot] = frame(language);
  return head + events.map((e) => vevent(e, language)).join('') + foot;
}
