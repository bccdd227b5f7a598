/** Cake-day schedules (src/planning/rrule.ts): the RRULE subset, and the local dates a rule yields. */
import { describe, expect, it } from 'vitest';
import { localDate } from '../../src/lib/time';
import { type CakeRule, cakeDays, formatRule, isCakeDay, isLocalDate, nextCakeDays, parseRule } from '../../src/planning/rrule';

function rule(text: string): CakeRule {
  const parsed = parseRule(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.rule;
}

/** Every date from `from` to `to`, both included. */
function everyDate(from: string, to: string): string[] {
  const dates: string[] = [];
  for (let at = Date.parse(from); at <= Date.parse(to); at += 86_400_000) dates.push(new Date(at).toISOString().slice(0, 10));
  return dates;
}

describe('parseRule', () => {
  it('reads the subset in any case, with an RRULE: prefix, spaces and a trailing ";", into its normal form', () => {
    const parsed = parseRule(
      ' rrule:freq=monthly ; byday = 3mo, +1MO ,-1fr,1mo;interval=02;bymonthday=31,-1,+15;until=20261231T235959Z;',
    );
    expect(parsed).toEqual({
      ok: true,
      rule: {
        freq: 'MONTHLY',
        interval: 2,
        byDay: [
          { weekday: 'MO', ordinal: 1 },
          { weekday: 'MO', ordinal: 3 },
          { weekday: 'FR', ordinal: -1 },
        ],
        byMonthDay: [-1, 15, 31],
        until: '2026-12-31',
      },
    });
    expect(parsed.ok && formatRule(parsed.rule)).toBe(
      'FREQ=MONTHLY;INTERVAL=2;BYDAY=1MO,3MO,-1FR;BYMONTHDAY=-1,15,31;UNTIL=20261231',
    );
  });

  it('a weekly rule lists plain weekdays, Monday first; WKST=MO, the default, is accepted and left out', () => {
    expect(parseRule('FREQ=WEEKLY;BYDAY=FR,MO,FR;WKST=MO')).toEqual({
      ok: true,
      rule: { freq: 'WEEKLY', interval: 1, byDay: ['MO', 'FR'], until: null },
    });
    expect(formatRule(rule('FREQ=WEEKLY;WKST=mo;BYDAY=FR,MO'))).toBe('FREQ=WEEKLY;BYDAY=MO,FR');
  });

  it('the normal form parses back to the same rule', () => {
    for (const text of [
      'FREQ=WEEKLY',
      'FREQ=WEEKLY;INTERVAL=52;BYDAY=MO,TU,WE,TH,FR;UNTIL=99981231',
      'FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13',
    ]) {
      expect(formatRule(rule(text))).toBe(text);
      expect(rule(formatRule(rule(text)))).toEqual(rule(text));
    }
  });

  const DAILY_REASON =
    'FREQ=DAILY is not supported: cake days are weekly or monthly (weekdays are FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR)';
  it.each([
    // [rule, the part the reason names, what else it says]
    ['', 'FREQ', /empty/],
    ['RRULE:', 'FREQ', /empty/],
    ['BYDAY=FR', 'FREQ', /FREQ is missing/],
    ['FREQ=DAILY', 'FREQ', DAILY_REASON],
    ['freq=daily;byday=mo', 'FREQ', DAILY_REASON],
    ['FREQ=HOURLY', 'FREQ', /FREQ=HOURLY is not supported/],
    ['FREQ=MINUTELY', 'FREQ', /FREQ=MINUTELY is not supported/],
    ['FREQ=SECONDLY', 'FREQ', /FREQ=SECONDLY is not supported/],
    ['FREQ=YEARLY', 'FREQ', /FREQ=YEARLY is not supported.*FREQ=MONTHLY;INTERVAL=12/],
    ['FREQ=FORTNIGHTLY', 'FREQ', /FREQ=FORTNIGHTLY is not a frequency/],
    ['FREQ=WEEKLY;FREQ=MONTHLY', 'FREQ', /FREQ appears more than once/],
    ['FREQ=WEEKLY;INTERVAL=0', 'INTERVAL', /from 1 to 52/],
    ['FREQ=WEEKLY;INTERVAL=53', 'INTERVAL', /from 1 to 52/],
    ['FREQ=WEEKLY;INTERVAL=-1', 'INTERVAL', /from 1 to 52/],
    ['FREQ=WEEKLY;INTERVAL=1.5', 'INTERVAL', /from 1 to 52/],
    ['FREQ=WEEKLY;INTERVAL=two', 'INTERVAL', /"TWO"/],
    ['FREQ=WEEKLY;INTERVAL=', 'INTERVAL', /INTERVAL has no value/],
    ['FREQ=WEEKLY;BYDAY=FRI', 'BYDAY', /"FRI" is not a weekday/],
    ['FREQ=WEEKLY;BYDAY=MO,,FR', 'BYDAY', /"" is not a weekday/],
    ['FREQ=WEEKLY;BYDAY=-1FR', 'BYDAY', /"-1FR" has an ordinal, which only FREQ=MONTHLY takes/],
    ['FREQ=WEEKLY;BYDAY=2MO', 'BYDAY', /ordinal/],
    ['FREQ=MONTHLY;BYDAY=6FR', 'BYDAY', /ordinal of "6FR" must be 1 to 5/],
    ['FREQ=MONTHLY;BYDAY=0FR', 'BYDAY', /ordinal of "0FR"/],
    ['FREQ=MONTHLY;BYDAY=-6FR', 'BYDAY', /ordinal of "-6FR"/],
    ['FREQ=MONTHLY;BYDAY=FR;BYDAY=MO', 'BYDAY', /BYDAY appears more than once/],
    ['FREQ=WEEKLY;BYMONTHDAY=1', 'BYMONTHDAY', /BYMONTHDAY is only for FREQ=MONTHLY/],
    ['FREQ=MONTHLY;BYMONTHDAY=0', 'BYMONTHDAY', /"0" must be a day of the month/],
    ['FREQ=MONTHLY;BYMONTHDAY=32', 'BYMONTHDAY', /"32"/],
    ['FREQ=MONTHLY;BYMONTHDAY=-32', 'BYMONTHDAY', /"-32"/],
    ['FREQ=MONTHLY;BYMONTHDAY=last', 'BYMONTHDAY', /"LAST"/],
    ['FREQ=WEEKLY;UNTIL=2026-12-31', 'UNTIL', /as YYYYMMDD/],
    ['FREQ=WEEKLY;UNTIL=20261231T120000', 'UNTIL', /as YYYYMMDD/],
    ['FREQ=WEEKLY;UNTIL=20270229', 'UNTIL', /real date/],
    ['FREQ=WEEKLY;UNTIL=18991231', 'UNTIL', /from 19000101 to 99981231/],
    ['FREQ=WEEKLY;UNTIL=99991231', 'UNTIL', /from 19000101 to 99981231/],
    ['FREQ=WEEKLY;UNTIL=20261231T250000Z', 'UNTIL', /real date/],
    ['FREQ=WEEKLY;COUNT=5', 'COUNT', 'COUNT is not supported (use UNTIL)'],
    ['FREQ=MONTHLY;BYDAY=FR;BYSETPOS=-1', 'BYSETPOS', 'BYSETPOS is not supported'],
    ['FREQ=MONTHLY;BYMONTH=1', 'BYMONTH', 'BYMONTH is not supported'],
    ['FREQ=WEEKLY;BYWEEKNO=1', 'BYWEEKNO', 'BYWEEKNO is not supported'],
    ['FREQ=MONTHLY;BYYEARDAY=1', 'BYYEARDAY', 'BYYEARDAY is not supported'],
    ['FREQ=WEEKLY;BYHOUR=9', 'BYHOUR', 'BYHOUR is not supported'],
    ['FREQ=WEEKLY;BYMINUTE=0', 'BYMINUTE', 'BYMINUTE is not supported'],
    ['FREQ=WEEKLY;BYSECOND=0', 'BYSECOND', 'BYSECOND is not supported'],
    ['FREQ=WEEKLY;WKST=SU', 'WKST', /WKST=SU is not supported: weeks start on Monday/],
    ['FREQ=WEEKLY;COLOUR=PINK', 'COLOUR', /COLOUR is not a rule part/],
    ['FREQ=WEEKLY;;BYDAY=FR', ';', /empty part/],
    ['FREQ=WEEKLY;FR', 'FR', /"FR" is not a rule part: parts are NAME=VALUE/],
    ['FREQ=WEEKLY;=FR', 'FR', /"=FR" is not a rule part/],
    [`FREQ=WEEKLY;BYDAY=${'MO,'.repeat(200)}FR`, 'rule', /too long \(at most 500 characters\)/],
  ])('refuses %s, naming %s', (text, part, says) => {
    const parsed = parseRule(text);
    expect(parsed.ok).toBe(false);
    const reason = parsed.ok ? '' : parsed.reason;
    expect(reason).toContain(part);
    if (typeof says === 'string') expect(reason).toBe(says);
    else expect(reason).toMatch(says);
  });
});

describe('weekly', () => {
  it('every Friday', () => {
    expect(cakeDays(rule('FREQ=WEEKLY;BYDAY=FR'), '2026-01-01', '2026-01-01', '2026-02-01')).toEqual([
      '2026-01-02',
      '2026-01-09',
      '2026-01-16',
      '2026-01-23',
      '2026-01-30',
    ]);
  });

  it('without BYDAY, the weekday of the start date', () => {
    expect(cakeDays(rule('FREQ=WEEKLY'), '2026-01-07', '2026-01-01', '2026-01-31')).toEqual([
      '2026-01-07',
      '2026-01-14',
      '2026-01-21',
      '2026-01-28',
    ]);
  });

  it('weekdays, from the start date on (in the middle of the range)', () => {
    expect(cakeDays(rule('FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR'), '2026-03-04', '2026-03-01', '2026-03-15')).toEqual([
      '2026-03-04',
      '2026-03-05',
      '2026-03-06',
      '2026-03-09',
      '2026-03-10',
      '2026-03-11',
      '2026-03-12',
      '2026-03-13',
    ]);
  });

  it('INTERVAL=2 counts weeks from the Monday of the start week, before the start date not included', () => {
    const everyOtherWeek = rule('FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR');
    // The start, Wednesday 4 March, is in the week of Monday 2 March: that Monday is before the start.
    expect(cakeDays(everyOtherWeek, '2026-03-04', '2026-03-01', '2026-04-05')).toEqual([
      '2026-03-06',
      '2026-03-16',
      '2026-03-20',
      '2026-03-30',
      '2026-04-03',
    ]);
    expect(cakeDays(everyOtherWeek, '2026-03-04', '2026-06-01', '2026-06-30')).toEqual([
      '2026-06-08',
      '2026-06-12',
      '2026-06-22',
      '2026-06-26',
    ]);
  });
});

describe('monthly', () => {
  it('-1FR is the last Friday, in months of four and of five Fridays', () => {
    // January and May 2026 have five Fridays, February, March, April and June four.
    expect(cakeDays(rule('FREQ=MONTHLY;BYDAY=-1FR'), '2026-01-01', '2026-01-01', '2026-06-30')).toEqual([
      '2026-01-30',
      '2026-02-27',
      '2026-03-27',
      '2026-04-24',
      '2026-05-29',
      '2026-06-26',
    ]);
  });

  it('1MO,3MO: the first and third Monday', () => {
    expect(cakeDays(rule('FREQ=MONTHLY;BYDAY=1MO,3MO'), '2026-01-01', '2026-01-01', '2026-04-30')).toEqual([
      '2026-01-05',
      '2026-01-19',
      '2026-02-02',
      '2026-02-16',
      '2026-03-02',
      '2026-03-16',
      '2026-04-06',
      '2026-04-20',
    ]);
  });

  it('BYMONTHDAY=31 skips the months without a 31st, as does a start on the 31st without BYMONTHDAY', () => {
    const thirtyFirsts = ['2026-01-31', '2026-03-31', '2026-05-31', '2026-07-31', '2026-08-31', '2026-10-31', '2026-12-31'];
    expect(cakeDays(rule('FREQ=MONTHLY;BYMONTHDAY=31'), '2026-01-01', '2026-01-01', '2026-12-31')).toEqual(thirtyFirsts);
    expect(cakeDays(rule('FREQ=MONTHLY'), '2026-01-31', '2026-01-01', '2026-12-31')).toEqual(thirtyFirsts);
  });

  it('BYMONTHDAY=-1 is the last day of every month', () => {
    expect(cakeDays(rule('FREQ=MONTHLY;BYMONTHDAY=-1'), '2026-01-01', '2026-01-01', '2026-04-30')).toEqual([
      '2026-01-31',
      '2026-02-28',
      '2026-03-31',
      '2026-04-30',
    ]);
  });

  it('BYDAY with BYMONTHDAY: the days that match both (every Friday the 13th)', () => {
    expect(cakeDays(rule('FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13'), '2026-01-01', '2026-01-01', '2027-12-31')).toEqual([
      '2026-02-13',
      '2026-03-13',
      '2026-11-13',
      '2027-08-13',
    ]);
  });

  it('INTERVAL counts months from the start month', () => {
    expect(cakeDays(rule('FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1'), '2026-02-15', '2026-01-01', '2026-12-31')).toEqual([
      '2026-05-01',
      '2026-08-01',
      '2026-11-01',
    ]);
  });
});

describe('leap days', () => {
  const leapDay = rule('FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=29'); // from a February start: 29 February
  const lastOfFebruary = rule('FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=-1');

  it('29 February in 2000 and 2028, not in 2027 or 2100', () => {
    for (const [year, expected] of [
      ['2000', ['2000-02-29']],
      ['2027', []],
      ['2028', ['2028-02-29']],
      ['2100', []],
    ] as const) {
      expect(cakeDays(leapDay, '2000-02-01', `${year}-01-01`, `${year}-12-31`)).toEqual(expected);
      expect(isCakeDay(leapDay, '2000-02-01', `${year}-02-28`)).toBe(false);
    }
  });

  it('the last day of February is the 29th in leap years, the 28th otherwise', () => {
    for (const [year, last] of [
      ['2000', '2000-02-29'],
      ['2027', '2027-02-28'],
      ['2028', '2028-02-29'],
      ['2100', '2100-02-28'],
    ]) {
      expect(cakeDays(lastOfFebruary, '2000-02-01', `${year}-01-01`, `${year}-12-31`)).toEqual([last]);
    }
  });

  it('isLocalDate knows the leap years, and the range 1900-01-01 to 9998-12-31', () => {
    expect(['2000-02-29', '2028-02-29', '1900-01-01', '9998-12-31', '2026-12-31'].map(isLocalDate)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(
      [
        '2027-02-29',
        '2100-02-29',
        '1900-02-29',
        '1899-12-31',
        '9999-01-01',
        '2026-04-31',
        '2026-13-01',
        '2026-1-01',
        '20260101',
        '',
      ].map(isLocalDate),
    ).toEqual(Array(10).fill(false));
  });
});

describe('UNTIL, skipped dates and the range', () => {
  it('UNTIL is the last date included', () => {
    expect(cakeDays(rule('FREQ=WEEKLY;BYDAY=FR;UNTIL=20260213'), '2026-01-30', '2026-01-01', '2026-03-31')).toEqual([
      '2026-01-30',
      '2026-02-06',
      '2026-02-13',
    ]);
    expect(cakeDays(rule('FREQ=WEEKLY;BYDAY=FR;UNTIL=20260213T000000Z'), '2026-01-30', '2026-02-13', '2026-02-13')).toEqual([
      '2026-02-13',
    ]);
  });

  it('skipDates take their dates out, and nothing else', () => {
    expect(
      cakeDays(rule('FREQ=WEEKLY;BYDAY=FR'), '2026-01-01', '2026-01-01', '2026-01-31', [
        '2026-01-09',
        '2026-01-23',
        '2026-01-24',
      ]),
    ).toEqual(['2026-01-02', '2026-01-16', '2026-01-30']);
  });

  it('nothing before the start date, nothing when from is after to', () => {
    const fridays = rule('FREQ=WEEKLY;BYDAY=FR');
    expect(cakeDays(fridays, '2026-06-01', '2026-01-01', '2026-05-31')).toEqual([]);
    expect(cakeDays(fridays, '2026-01-01', '2026-02-01', '2026-01-01')).toEqual([]);
    expect(cakeDays(fridays, '2026-01-01', '2026-01-02', '2026-01-02')).toEqual(['2026-01-02']);
  });

  it('a range a hundred or eight thousand years after the start is reached without walking there', () => {
    const everyThirdWednesday = rule('FREQ=WEEKLY;INTERVAL=3;BYDAY=WE');
    const lastFridayEverySeventhMonth = rule('FREQ=MONTHLY;INTERVAL=7;BYDAY=-1FR');
    expect(cakeDays(everyThirdWednesday, '1900-01-03', '9998-11-01', '9998-12-31')).toEqual([
      '9998-11-04',
      '9998-11-25',
      '9998-12-16',
    ]);
    expect(cakeDays(lastFridayEverySeventhMonth, '1900-01-01', '9998-01-01', '9998-12-31')).toEqual(['9998-06-26']);
    // A day-by-day walk from 1900 would take millions of steps a call: this many calls would time out.
    for (let year = 2000; year < 4000; year++) {
      expect(cakeDays(everyThirdWednesday, '1900-01-03', `${year}-01-01`, `${year}-01-21`)).toHaveLength(1);
      expect(cakeDays(lastFridayEverySeventhMonth, '1900-01-01', `${year}-01-01`, `${year}-12-31`).length).toBeGreaterThan(0);
    }
  });

  it('a rule that yields nothing', () => {
    const thirtyFirstOfApril = rule('FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=31'); // started in April: every April, which has no 31st
    const fifthFridayOnTheFirst = rule('FREQ=MONTHLY;BYDAY=5FR;BYMONTHDAY=1');
    expect(cakeDays(thirtyFirstOfApril, '2026-04-10', '2026-01-01', '2027-01-31')).toEqual([]);
    expect(cakeDays(fifthFridayOnTheFirst, '2026-01-01', '2026-01-01', '2027-01-31')).toEqual([]);
    expect(cakeDays(rule('FREQ=WEEKLY;UNTIL=20251231'), '2026-01-01', '2026-01-01', '2026-12-31')).toEqual([]);
  });

  it('refuses a date that is not a local date', () => {
    expect(() => cakeDays(rule('FREQ=WEEKLY'), '2026-02-30', '2026-01-01', '2026-12-31')).toThrow(RangeError);
    expect(() => nextCakeDays(rule('FREQ=WEEKLY'), '2026-01-01', '9999-01-01')).toThrow(/today/);
  });
});

describe('nextCakeDays and isCakeDay', () => {
  const fridays = rule('FREQ=WEEKLY;BYDAY=FR');

  it('the next five from today, today included, skipped dates left out', () => {
    expect(nextCakeDays(fridays, '2026-01-01', '2026-01-09')).toEqual([
      '2026-01-09',
      '2026-01-16',
      '2026-01-23',
      '2026-01-30',
      '2026-02-06',
    ]);
    expect(nextCakeDays(fridays, '2026-01-01', '2026-01-10', 3, ['2026-01-16'])).toEqual([
      '2026-01-23',
      '2026-01-30',
      '2026-02-06',
    ]);
  });

  it('crosses the years it needs to', () => {
    expect(nextCakeDays(rule('FREQ=MONTHLY;INTERVAL=12;BYDAY=-1FR'), '2026-12-01', '2026-12-27', 3)).toEqual([
      '2027-12-31',
      '2028-12-29',
      '2029-12-28',
    ]);
  });

  it('ends for a rule that yields nothing, and gives fewer when ten years hold fewer', () => {
    expect(nextCakeDays(rule('FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=31'), '2026-04-10', '2026-05-01')).toEqual([]);
    expect(nextCakeDays(rule('FREQ=WEEKLY;UNTIL=20260301'), '2026-01-01', '2026-03-02')).toEqual([]);
    expect(nextCakeDays(rule('FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=29'), '2000-02-01', '2026-03-01')).toEqual([
      '2028-02-29',
      '2032-02-29',
      '2036-02-29',
    ]);
    expect(nextCakeDays(fridays, '2026-01-01', '9998-12-20')).toEqual(['9998-12-25']);
  });

  it('isCakeDay: on the rule, not skipped, from the start date to UNTIL', () => {
    const untilMarch = rule('FREQ=WEEKLY;BYDAY=FR;UNTIL=20260327');
    expect(isCakeDay(untilMarch, '2026-01-01', '2026-01-02')).toBe(true);
    expect(isCakeDay(untilMarch, '2026-01-01', '2026-01-01')).toBe(false); // a Thursday
    expect(isCakeDay(untilMarch, '2026-01-03', '2026-01-02')).toBe(false); // before the start
    expect(isCakeDay(untilMarch, '2026-01-01', '2026-03-27')).toBe(true);
    expect(isCakeDay(untilMarch, '2026-01-01', '2026-04-03')).toBe(false); // after UNTIL
    expect(isCakeDay(untilMarch, '2026-01-01', '2026-01-02', ['2026-01-02'])).toBe(false);
  });
});

describe('DST', () => {
  // The 2026 changes: Europe/Berlin on Sunday 29 March and Sunday 25 October,
  // America/New_York on Sunday 8 March and Sunday 1 November.
  const changes = [
    { timeZone: 'Europe/Berlin', date: '2026-03-29' },
    { timeZone: 'Europe/Berlin', date: '2026-10-25' },
    { timeZone: 'America/New_York', date: '2026-03-08' },
    { timeZone: 'America/New_York', date: '2026-11-01' },
  ];
  /** The zone's offset from UTC in minutes at noon UTC of `date`, such as 60 for GMT+01:00. */
  const offsetAtNoon = (timeZone: string, date: string) => {
    const parts = new Intl.DateTimeFormat('en', { timeZone, timeZoneName: 'longOffset' }).formatToParts(
      new Date(`${date}T12:00:00Z`),
    );
    const [, sign, hours, minutes] = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(
      parts.find((part) => part.type === 'timeZoneName')!.value,
    )!;
    return sign === undefined ? 0 : (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes));
  };
  const shift = (date: string, days: number) => new Date(Date.parse(date) + days * 86_400_000).toISOString().slice(0, 10);

  it.each(changes)('every day of the weeks around $date ($timeZone) once, none skipped or doubled', ({ timeZone, date }) => {
    // The test spans a real change: the zone's offset differs the day before and the day after.
    expect(offsetAtNoon(timeZone, shift(date, -1))).not.toBe(offsetAtNoon(timeZone, shift(date, 1)));
    const everyDay = rule('FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU');
    expect(cakeDays(everyDay, '2026-01-01', shift(date, -13), shift(date, 8))).toEqual(
      everyDate(shift(date, -13), shift(date, 8)),
    );
    expect(cakeDays(rule('FREQ=WEEKLY;BYDAY=SU'), '2026-01-01', shift(date, -7), shift(date, 7))).toEqual([
      shift(date, -7),
      date,
      shift(date, 7),
    ]);
  });

  it('the last Sunday of the month is the day Berlin changes its clocks', () => {
    const lastSundays = cakeDays(rule('FREQ=MONTHLY;BYDAY=-1SU'), '2026-01-01', '2026-03-01', '2026-10-31');
    expect(lastSundays).toEqual([
      '2026-03-29',
      '2026-04-26',
      '2026-05-31',
      '2026-06-28',
      '2026-07-26',
      '2026-08-30',
      '2026-09-27',
      '2026-10-25',
    ]);
  });

  it.each(changes)(
    'the group today on $date ($timeZone) is that date from its first to its last minute',
    ({ timeZone, date }) => {
      const sundays = rule('FREQ=WEEKLY;BYDAY=SU');
      // The local day starts at the offset of the day before and ends at the offset of the day after.
      const startOfDay = Date.parse(`${date}T00:00:00Z`) - offsetAtNoon(timeZone, shift(date, -1)) * 60_000;
      const endOfDay = Date.parse(`${date}T23:59:00Z`) - offsetAtNoon(timeZone, shift(date, 1)) * 60_000;
      for (const at of [startOfDay, endOfDay]) {
        const today = localDate(timeZone, new Date(at));
        expect(today).toBe(date);
        expect(nextCakeDays(sundays, '2026-01-01', today, 2)).toEqual([date, shift(date, 7)]);
      }
    },
  );
});
