/**
 * Calendars of cake events: all-day VEVENTs (DTSTART;VALUE=DATE, DTEND the
 * next day) with stable UIDs, TEXT escaped per RFC 5545 §3.3.11 and every
 * line folded at 75 octets with CRLF ends. Used by the per-event download and
 * the subscription feed.
 *
 * Written here rather than with the `ics` package: that package folds at 75
 * characters (too long for umlauts and emoji), leaves a lone CR unescaped, and
 * cannot be loaded by the test runtime (its `yup` dependency imports a
 * CommonJS module by named exports, which workerd's module loader rejects).
 */
import type { Language } from '../db/schema';
import { addDays } from '../lib/time';
import { foldLine } from './fold';

export interface CalendarEvent {
  id: string;
  date: string;
  bakerName: string;
  groupName: string;
  description: string;
  createdAt: string;
}

const SUMMARY: Record<Language, (e: CalendarEvent) => string> = {
  en: (e) => `Cake by ${e.bakerName} (${e.groupName})`,
  de: (e) => `Kuchen von ${e.bakerName} (${e.groupName})`,
};

export const CALENDAR_NAME: Record<Language, string> = { en: 'Cake Planner', de: 'Kuchenplaner' };

export const CALENDAR_CONTENT_TYPE = 'text/calendar; charset=utf-8';

export const eventUid = (eventId: string) => `${eventId}@cake-planner`;

/**
 * RFC 5545 TEXT: backslash, semicolon, comma and line breaks escaped (any of
 * CRLF, CR, LF becomes `\n`); other control characters are not allowed.
 */
export function escapeText(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

const basicDate = (date: string) => date.replaceAll('-', '');

/** `2026-11-26T10:00:00.000Z` → `20261126T100000Z` */
const basicTimestamp = (iso: string) => new Date(iso).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

function eventLines(event: CalendarEvent, language: Language): string[] {
  return [
    'BEGIN:VEVENT',
    `UID:${escapeText(eventUid(event.id))}`,
    // A stable DTSTAMP keeps the calendar byte-identical (and its ETag) until an event changes.
    `DTSTAMP:${basicTimestamp(event.createdAt)}`,
    `DTSTART;VALUE=DATE:${basicDate(event.date)}`,
    `DTEND;VALUE=DATE:${basicDate(addDays(event.date, 1))}`,
    `SUMMARY:${escapeText(SUMMARY[language](event))}`,
    ...(event.description ? [`DESCRIPTION:${escapeText(event.description)}`] : []),
    'TRANSP:TRANSPARENT',
    'END:VEVENT',
  ];
}

export function buildCalendar(events: CalendarEvent[], language: Language): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Cake Planner//Cake Planner API//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(CALENDAR_NAME[language])}`,
    ...events.flatMap((e) => eventLines(e, language)),
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
