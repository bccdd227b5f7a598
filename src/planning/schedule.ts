/**
 * A group's schedule (the `schedules` row): what the API shows and takes,
 * and the statements that read and write it. The dates it yields come from
 * src/planning/rrule.ts; "today" is the group's (src/lib/time.ts).
 */
import { z } from '@hono/zod-openapi';
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { groups, schedules } from '../db/schema';
import { type CakeRule, isLocalDate, nextCakeDays, parseRule } from './rrule';

export const MAX_SKIP_DATES = 200;
const DEFAULT_LEAD_DAYS = 14;

/** A local calendar date within 1900–9998 (the contract's range). */
export const LocalDateField = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'A date as YYYY-MM-DD')
  .refine(isLocalDate, 'Not a calendar date between 1900-01-01 and 9998-12-31')
  .openapi({ format: 'date', example: '2027-01-15' });

export const ScheduleSchema = z
  .object({
    rule: z.string().nullable().openapi({ example: 'FREQ=WEEKLY;BYDAY=FR', description: 'RRULE subset, or null: no schedule' }),
    startDate: z.string().openapi({ format: 'date', description: 'The first possible cake day; the ledger counts from here' }),
    skipDates: z.array(z.string().openapi({ format: 'date' })),
    leadDays: z.number().int(),
    autoAssign: z.boolean(),
    nextCakeDays: z
      .array(z.string().openapi({ format: 'date' }))
      .openapi({ description: 'The next 5 cake days from the group’s today on, today included' }),
  })
  .openapi('Schedule');

export type ScheduleView = z.infer<typeof ScheduleSchema>;

export const ScheduleInputSchema = z
  .object({
    rule: z
      .string()
      .max(500)
      .nullable()
      .openapi({
        description:
          'RFC 5545 RRULE, the subset FREQ=WEEKLY or MONTHLY, INTERVAL, BYDAY (with ordinals for monthly, e.g. -1FR), ' +
          'BYMONTHDAY, UNTIL; null for no schedule. FREQ=DAILY and finer are refused (weekdays: FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR).',
        example: 'FREQ=WEEKLY;BYDAY=FR',
      }),
    startDate: LocalDateField.optional().openapi({
      description: 'Default on the first PUT: the group’s today; a later PUT without it keeps the previous one',
    }),
    skipDates: z
      .array(LocalDateField)
      .max(MAX_SKIP_DATES)
      .optional()
      .openapi({ description: `Closures, holidays (at most ${MAX_SKIP_DATES})` }),
    leadDays: z
      .number()
      .int()
      .min(1)
      .max(60)
      .optional()
      .openapi({
        description: `1..60, default ${DEFAULT_LEAD_DAYS}: with autoAssign, the daily run assigns the open cake days from the group’s today to this many days ahead`,
      }),
    autoAssign: z
      .boolean()
      .optional()
      .openapi({
        description:
          'Default false. On: the daily run assigns every open cake day within leadDays (in date order, each to the then first ' +
          'of the rotation), and a decline asks the next member at once',
      }),
  })
  .openapi('ScheduleInput');

export type ScheduleInput = z.infer<typeof ScheduleInputSchema>;

/** The stored schedule as the domain uses it: the rule parsed. */
export interface Schedule {
  rule: CakeRule | null;
  ruleText: string | null;
  startDate: string;
  skipDates: string[];
  leadDays: number;
  autoAssign: boolean;
}

/** The group (id, time zone) with its schedule row, if any: one statement. */
export function groupScheduleQuery(db: Database, groupId: string) {
  return db
    .select({
      id: groups.id,
      name: groups.name,
      timeZone: groups.timeZone,
      rule: schedules.rule,
      startDate: schedules.startDate,
      skipDates: schedules.skipDates,
      leadDays: schedules.leadDays,
      autoAssign: schedules.autoAssign,
    })
    .from(groups)
    .leftJoin(schedules, eq(schedules.groupId, groups.id))
    .where(eq(groups.id, groupId))
    .limit(1);
}

type GroupScheduleRow = Awaited<ReturnType<typeof groupScheduleQuery>>[number];

/** The row's schedule, or null when the group has none (no row). A stored rule always parses: it was parsed to be stored. */
export function scheduleOf(row: GroupScheduleRow): Schedule | null {
  if (row.startDate === null) return null;
  const parsed = row.rule === null ? null : parseRule(row.rule);
  return {
    rule: parsed?.ok ? parsed.rule : null,
    ruleText: row.rule,
    startDate: row.startDate,
    skipDates: JSON.parse(row.skipDates ?? '[]') as string[],
    leadDays: row.leadDays ?? DEFAULT_LEAD_DAYS,
    autoAssign: row.autoAssign ?? false,
  };
}

/** What the API shows of a schedule; a group without one shows the defaults and no rule. */
export function toScheduleView(schedule: Schedule | null, today: string): ScheduleView {
  if (!schedule)
    return { rule: null, startDate: today, skipDates: [], leadDays: DEFAULT_LEAD_DAYS, autoAssign: false, nextCakeDays: [] };
  return {
    rule: schedule.ruleText,
    startDate: schedule.startDate,
    skipDates: schedule.skipDates,
    leadDays: schedule.leadDays,
    autoAssign: schedule.autoAssign,
    nextCakeDays: schedule.rule ? nextCakeDays(schedule.rule, schedule.startDate, today, 5, schedule.skipDates) : [],
  };
}

/**
 * Replaces the group's schedule (omitted fields take their defaults), but
 * keeps the stored start date when none is given (the first PUT starts
 * today). `ruleText` is the normalised rule.
 */
export function putScheduleStatement(
  db: Database,
  groupId: string,
  input: ScheduleInput,
  ruleText: string | null,
  today: string,
) {
  const skipDates = JSON.stringify([...new Set(input.skipDates ?? [])].sort());
  const values = {
    groupId,
    rule: ruleText,
    startDate: input.startDate ?? today,
    skipDates,
    leadDays: input.leadDays ?? DEFAULT_LEAD_DAYS,
    autoAssign: input.autoAssign ?? false,
    updatedAt: new Date().toISOString(),
  };
  return db
    .insert(schedules)
    .values(values)
    .onConflictDoUpdate({
      target: schedules.groupId,
      set: { ...values, startDate: input.startDate ?? sql`${schedules.startDate}` },
    });
}
