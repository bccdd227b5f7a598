/**
 * A group's cake-day schedule: the subset of RFC 5545 recurrence rules it may
 * use (FREQ=WEEKLY or MONTHLY, INTERVAL, BYDAY, BYMONTHDAY, UNTIL) and the
 * dates they yield. Pure, no dependencies.
 *
 * Every date here is a group's local calendar date (`YYYY-MM-DD`), never an
 * instant: a cake day is a day, not a time. The arithmetic runs on day numbers
 * (days since 1970-01-01, UTC midnights), so a DST change in the group's zone
 * cannot move, skip or double a date; the group's today is found elsewhere
 * (`localDate` in src/lib/time.ts).
 */

type Weekday = 'MO' | 'TU' | 'WE' | 'TH' | 'FR' | 'SA' | 'SU';

/** A BYDAY entry of a monthly rule: every such weekday of the month, or only the nth (1 to 5) or nth from the end (-1 to -5). */
interface MonthlyDay {
  weekday: Weekday;
  ordinal: number | null;
}

/**
 * A parsed rule; `until` is the last local date included, or null. Empty
 * lists are parts left out: a weekly rule without BYDAY falls on the weekday
 * of the start date, a monthly one without BYDAY and BYMONTHDAY on its day of
 * the month. A monthly rule with both falls on the days that match both.
 */
export type CakeRule =
  | { freq: 'WEEKLY'; interval: number; byDay: readonly Weekday[]; until: string | null }
  | { freq: 'MONTHLY'; interval: number; byDay: readonly MonthlyDay[]; byMonthDay: readonly number[]; until: string | null };

type Monthly = Extract<CakeRule, { freq: 'MONTHLY' }>;
type Parsed = { ok: true; rule: CakeRule } | { ok: false; reason: string };

const WEEKDAYS: readonly Weekday[] = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const MAX_INTERVAL = 52;
// Far above any useful rule (every ordinal of every weekday is about 300 characters);
// it also bounds what a reason can quote back to the client.
const MAX_RULE_LENGTH = 500;
const PARTS = ['FREQ', 'INTERVAL', 'BYDAY', 'BYMONTHDAY', 'UNTIL', 'WKST'];
const RFC_PARTS = ['BYSETPOS', 'BYMONTH', 'BYWEEKNO', 'BYYEARDAY', 'BYHOUR', 'BYMINUTE', 'BYSECOND', 'RSCALE', 'SKIP'];
const FINER = ['DAILY', 'HOURLY', 'MINUTELY', 'SECONDLY'];

const fail = (reason: string): Parsed => ({ ok: false, reason });
// Keys and values are case-insensitive, and spaces around them forgiven: the normal form is upper case.
const upper = (text: string) => text.trim().toUpperCase();

/** Parses the subset; the reason of a refusal is shown to API clients and names the part that is wrong. */
export function parseRule(text: string): Parsed {
  if (text.length > MAX_RULE_LENGTH) return fail(`The rule is too long (at most ${MAX_RULE_LENGTH} characters)`);
  const body = text.trim().replace(/^RRULE:/i, '');
  if (body.trim() === '') return fail('The rule is empty: it needs at least FREQ=WEEKLY or FREQ=MONTHLY');
  const pieces = body.split(';');
  if (pieces.length > 1 && pieces.at(-1)!.trim() === '') pieces.pop(); // a trailing ";" is harmless
  const parts = new Map<string, string>();
  for (const piece of pieces) {
    if (piece.trim() === '') return fail('The rule has an empty part (";" twice in a row)');
    const eq = piece.indexOf('=');
    const key = eq < 0 ? '' : upper(piece.slice(0, eq));
    if (key === '') return fail(`"${piece.trim()}" is not a rule part: parts are NAME=VALUE, separated by ";"`);
    if (key === 'COUNT') return fail('COUNT is not supported (use UNTIL)');
    if (RFC_PARTS.includes(key)) return fail(`${key} is not supported`);
    if (!PARTS.includes(key)) {
      return fail(`${key} is not a rule part (the parts are FREQ, INTERVAL, BYDAY, BYMONTHDAY and UNTIL)`);
    }
    const value = upper(piece.slice(eq + 1));
    if (parts.has(key)) return fail(`${key} appears more than once`);
    if (value === '') return fail(`${key} has no value`);
    parts.set(key, value);
  }

  const freq = parts.get('FREQ');
  if (freq === undefined) return fail('FREQ is missing: use FREQ=WEEKLY or FREQ=MONTHLY');
  if (FINER.includes(freq)) {
    return fail(`FREQ=${freq} is not supported: cake days are weekly or monthly (weekdays are FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR)`);
  }
  if (freq === 'YEARLY') {
    return fail('FREQ=YEARLY is not supported: cake days are weekly or monthly (once a year is FREQ=MONTHLY;INTERVAL=12)');
  }
  if (freq !== 'WEEKLY' && freq !== 'MONTHLY') return fail(`FREQ=${freq} is not a frequency: use FREQ=WEEKLY or FREQ=MONTHLY`);
  // Weeks start on Monday here, RFC 5545's default: WKST=MO says nothing more, any other start is refused.
  const wkst = parts.get('WKST');
  if (wkst !== undefined && wkst !== 'MO') return fail(`WKST=${wkst} is not supported: weeks start on Monday (WKST=MO)`);

  const intervalText = parts.get('INTERVAL') ?? '1';
  const interval = /^\d{1,3}$/.test(intervalText) ? Number(intervalText) : Number.NaN;
  if (!(interval >= 1 && interval <= MAX_INTERVAL)) {
    return fail(`INTERVAL must be a whole number from 1 to ${MAX_INTERVAL} (weeks or months), not "${intervalText}"`);
  }

  const until = parseUntil(parts.get('UNTIL'));
  if (until !== null && typeof until === 'object') return until;

  const byDayParsed = parseByDay(parts.get('BYDAY'), freq);
  if (!Array.isArray(byDayParsed)) return byDayParsed;
  if (freq === 'WEEKLY') {
    if (parts.has('BYMONTHDAY')) return fail('BYMONTHDAY is only for FREQ=MONTHLY (a weekly rule names weekdays with BYDAY)');
    return { ok: true, rule: { freq, interval, byDay: byDayParsed.map((day) => day.weekday), until } };
  }
  const byMonthDay = parseByMonthDay(parts.get('BYMONTHDAY'));
  if (!Array.isArray(byMonthDay)) return byMonthDay;
  return { ok: true, rule: { freq, interval, byDay: byDayParsed, byMonthDay, until } };
}

/** The last local date included (UNTIL's date part, also when it carries a UTC time), null without UNTIL, or the refusal. */
function parseUntil(text: string | undefined): string | null | Parsed {
  if (text === undefined) return null;
  const match = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})Z)?$/.exec(text);
  if (!match) return fail(`UNTIL must be a date as YYYYMMDD (or YYYYMMDDTHHMMSSZ), not "${text}"`);
  const date = `${match[1]}-${match[2]}-${match[3]}`;
  const timeOk = match[4] === undefined || (Number(match[4]) < 24 && Number(match[5]) < 60 && Number(match[6]) <= 60);
  if (!isLocalDate(date) || !timeOk) return fail(`UNTIL must be a real date (and time) from 19000101 to 99981231, not "${text}"`);
  return date;
}

function parseByDay(text: string | undefined, freq: 'WEEKLY' | 'MONTHLY'): MonthlyDay[] | Parsed {
  const days: MonthlyDay[] = [];
  for (const item of listOf(text)) {
    const match = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/.exec(item);
    if (!match) {
      return fail(
        `BYDAY: "${item}" is not a weekday (MO, TU, WE, TH, FR, SA or SU; a monthly rule may add an ordinal, as in 1MO or -1FR)`,
      );
    }
    const weekday = match[2] as Weekday;
    const ordinal = match[1] === undefined ? null : Number(match[1]);
    if (ordinal !== null && freq === 'WEEKLY') {
      return fail(
        `BYDAY: "${item}" has an ordinal, which only FREQ=MONTHLY takes (a weekly rule lists weekdays, as in BYDAY=${weekday})`,
      );
    }
    if (ordinal !== null && (ordinal === 0 || Math.abs(ordinal) > 5)) {
      return fail(`BYDAY: the ordinal of "${item}" must be 1 to 5, or -1 (the last) to -5`);
    }
    if (!days.some((day) => day.weekday === weekday && day.ordinal === ordinal)) days.push({ weekday, ordinal });
  }
  // Normalised: Monday first; a plain weekday before its ordinals, which go in numeric order.
  return days.sort((a, b) => WEEKDAYS.indexOf(a.weekday) - WEEKDAYS.indexOf(b.weekday) || (a.ordinal ?? -9) - (b.ordinal ?? -9));
}

function parseByMonthDay(text: string | undefined): number[] | Parsed {
  const days: number[] = [];
  for (const item of listOf(text)) {
    const day = /^[+-]?\d{1,2}$/.test(item) ? Number(item) : Number.NaN;
    if (!(day !== 0 && Math.abs(day) <= 31)) {
      return fail(`BYMONTHDAY: "${item}" must be a day of the month from 1 to 31, or -1 (the last day) to -31`);
    }
    if (!days.includes(day)) days.push(day);
  }
  return days.sort((a, b) => a - b);
}

/** A part's comma-separated items; an empty item is kept, so that it is refused by name. */
const listOf = (text: string | undefined): string[] => (text === undefined ? [] : text.split(',').map((item) => item.trim()));

/** The normalised RRULE: parts in a fixed order, upper case, INTERVAL=1 and the `RRULE:` prefix left out. */
export function formatRule(rule: CakeRule): string {
  const parts = [`FREQ=${rule.freq}`];
  if (rule.interval !== 1) parts.push(`INTERVAL=${rule.interval}`);
  const byDay = rule.freq === 'WEEKLY' ? rule.byDay : rule.byDay.map((day) => `${day.ordinal ?? ''}${day.weekday}`);
  if (byDay.length > 0) parts.push(`BYDAY=${byDay.join(',')}`);
  if (rule.freq === 'MONTHLY' && rule.byMonthDay.length > 0) parts.push(`BYMONTHDAY=${rule.byMonthDay.join(',')}`);
  if (rule.until !== null) parts.push(`UNTIL=${rule.until.replaceAll('-', '')}`);
  return parts.join(';');
}

// ---- Local dates as day numbers ----

const DAY_MS = 86_400_000;
const MONTH_LENGTHS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const LAST_DATE = '9998-12-31';
// nextCakeDays looks this far ahead and no further, so a rule that never (or
// only rarely) matches ends the search; ten years of weeks or months is cheap.
const HORIZON_DAYS = 3653;

const isLeapYear = (year: number) => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
const monthLength = (year: number, month: number) => (month === 2 && isLeapYear(year) ? 29 : MONTH_LENGTHS[month - 1]!);

/** True for a real calendar date `YYYY-MM-DD` from 1900-01-01 to 9998-12-31 (2027-02-29 is not). */
export function isLocalDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return year >= 1900 && year <= 9998 && month >= 1 && month <= 12 && day >= 1 && day <= monthLength(year, month);
}

const dayNumber = (date: string) =>
  Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
const dateOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
/** 0 for Monday to 6 for Sunday; day 0, 1970-01-01, was a Thursday. */
const weekdayOf = (day: number) => (((day + 3) % 7) + 7) % 7;
/** Months since year 0: year × 12 + month − 1. */
const monthIndexOf = (date: string) => Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;

function requireDates(dates: Record<string, string>): void {
  for (const [name, date] of Object.entries(dates)) {
    if (!isLocalDate(date)) throw new RangeError(`${name} must be a local date from 1900-01-01 to 9998-12-31, not "${date}"`);
  }
}

// ---- Occurrences ----

/**
 * Every date in [from, to] on which the rule falls, ascending: none before
 * startDate or after UNTIL, none in skipDates. INTERVAL counts weeks (from the
 * Monday of startDate's week) or months (from startDate's month). startDate is
 * not a cake day unless the rule falls on it. The work is proportional to the
 * weeks or months in [from, to], however far back startDate is. Throws a
 * RangeError for a date that is not a local date (callers validate with isLocalDate).
 */
export function cakeDays(
  rule: CakeRule,
  startDate: string,
  from: string,
  to: string,
  skipDates: readonly string[] = [],
): string[] {
  requireDates({ startDate, from, to });
  const start = dayNumber(startDate);
  const lo = Math.max(dayNumber(from), start);
  const hi = Math.min(dayNumber(to), rule.until === null ? Number.POSITIVE_INFINITY : dayNumber(rule.until));
  if (lo > hi) return [];
  const days = rule.freq === 'WEEKLY' ? weeklyDays(rule, start, lo, hi) : monthlyDays(rule, startDate, lo, hi);
  const skipped = new Set(skipDates);
  return days.map(dateOf).filter((date) => !skipped.has(date));
}

function weeklyDays(rule: Extract<CakeRule, { freq: 'WEEKLY' }>, start: number, lo: number, hi: number): number[] {
  const offsets = rule.byDay.length > 0 ? rule.byDay.map((day) => WEEKDAYS.indexOf(day)) : [weekdayOf(start)];
  offsets.sort((a, b) => a - b);
  const firstMonday = start - weekdayOf(start);
  // The first week of the rule (a multiple of INTERVAL weeks after startDate's) that does not end before lo.
  const week = Math.ceil(Math.floor((lo - firstMonday) / 7) / rule.interval) * rule.interval;
  const days: number[] = [];
  for (let monday = firstMonday + 7 * week; monday <= hi; monday += 7 * rule.interval) {
    for (const offset of offsets) if (monday + offset >= lo && monday + offset <= hi) days.push(monday + offset);
  }
  return days;
}

function monthlyDays(rule: Monthly, startDate: string, lo: number, hi: number): number[] {
  const startMonth = monthIndexOf(startDate);
  // The first month of the rule (a multiple of INTERVAL months after startDate's) that does not end before lo.
  let month = startMonth + Math.ceil((monthIndexOf(dateOf(lo)) - startMonth) / rule.interval) * rule.interval;
  const days: number[] = [];
  for (; ; month += rule.interval) {
    const year = Math.floor(month / 12);
    const first = Date.UTC(year, month % 12, 1) / DAY_MS;
    if (first > hi) return days;
    for (const dayOfMonth of daysOfMonth(rule, year, (month % 12) + 1, first, Number(startDate.slice(8, 10)))) {
      const day = first + dayOfMonth - 1;
      if (day >= lo && day <= hi) days.push(day);
    }
  }
}

/** The days of one month (1 to its length, ascending) on which a monthly rule falls. */
function daysOfMonth(rule: Monthly, year: number, month: number, first: number, startDay: number): number[] {
  const length = monthLength(year, month);
  // RFC 5545: with neither BYDAY nor BYMONTHDAY, DTSTART's day; a month without that day (the 31st in April) has none.
  if (rule.byDay.length === 0 && rule.byMonthDay.length === 0) return startDay <= length ? [startDay] : [];
  const byMonthDay = new Set(rule.byMonthDay.map((day) => (day > 0 ? day : length + 1 + day)));
  const byDay = new Set<number>();
  for (const { weekday, ordinal } of rule.byDay) {
    const firstOfWeekday = 1 + ((WEEKDAYS.indexOf(weekday) - weekdayOf(first) + 7) % 7);
    const lastOfWeekday = firstOfWeekday + 7 * Math.floor((length - firstOfWeekday) / 7);
    if (ordinal === null) for (let day = firstOfWeekday; day <= length; day += 7) byDay.add(day);
    else byDay.add(ordinal > 0 ? firstOfWeekday + 7 * (ordinal - 1) : lastOfWeekday + 7 * (ordinal + 1)); // may fall outside: never matched
  }
  // Both parts given: RFC 5545 semantics, the days that match both (BYDAY=FR;BYMONTHDAY=13 is every Friday the 13th).
  const days: number[] = [];
  for (let day = 1; day <= length; day++) {
    if ((rule.byMonthDay.length === 0 || byMonthDay.has(day)) && (rule.byDay.length === 0 || byDay.has(day))) days.push(day);
  }
  return days;
}

/**
 * The next `count` cake days from `today` on, today included. Looks ten
 * years ahead at most (and not past 9998-12-31): a rule that yields nothing
 * there, such as one whose UNTIL has passed, gives fewer, or none.
 */
export function nextCakeDays(
  rule: CakeRule,
  startDate: string,
  today: string,
  count = 5,
  skipDates: readonly string[] = [],
): string[] {
  requireDates({ startDate, today });
  const horizon = Math.min(dayNumber(today) + HORIZON_DAYS, dayNumber(LAST_DATE));
  const found: string[] = [];
  // A year at a time, so that a rule which yields soon is not expanded for ten years.
  for (let from = dayNumber(today); found.length < count && from <= horizon; from += 366) {
    found.push(...cakeDays(rule, startDate, dateOf(from), dateOf(Math.min(from + 365, horizon)), skipDates));
  }
  return found.slice(0, Math.max(count, 0));
}

/** True when the rule falls on `date` and it is not skipped. */
export function isCakeDay(rule: CakeRule, startDate: string, date: string, skipDates: readonly string[] = []): boolean {
  return cakeDays(rule, startDate, date, date, skipDates).length > 0;
}
