/**
 * Calendars of cake events, for the per-event download and the subscription
 * feed. The writer (./writer.ts, with the `ics` package and its validation
 * library) is loaded on the first calendar an isolate builds, not at start-up:
 * most requests build none, and evaluating it costs start-up time on every
 * isolate that does not.
 */
import type { Language } from '../db/schema';

export interface CalendarEvent {
  id: string;
  date: string;
  bakerName: string;
  groupName: string;
  description: string;
  /** The stated allergens (a bit set over ALLERGENS, src/events/dietary.ts), null = not stated. */
  allergens: number | null;
  /** SEQUENCE: calendars replace the entry of the same UID when it is higher. */
  sequence: number;
  createdAt: string;
  /** The feed owner's own assignment, not answered yet (`id` is the assignment's): "Your cake day (please confirm)". */
  unconfirmed?: boolean;
}

export const CALENDAR_CONTENT_TYPE = 'text/calendar; charset=utf-8';

export async function buildCalendar(events: CalendarEvent[], language: Language): Promise<string> {
  const { writeCalendar } = await import('./writer');
  return writeCalendar(events, language);
}
