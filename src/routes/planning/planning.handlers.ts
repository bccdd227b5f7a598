import { ApiError, invalidField } from '../../errors';
import { afterResponse } from '../../lib/after-response';
import type { AppRouteHandler } from '../../lib/create-router';
import { publicUrl } from '../../lib/public-url';
import { addDays, daysBetween, localDate } from '../../lib/time';
import { publish } from '../../live/publish';
import { enqueueMail } from '../../mail';
import {
  absenceByIdQuery,
  deleteAbsenceStatement,
  insertAbsenceStatement,
  MAX_ABSENCE_DAYS,
  MAX_OPEN_ABSENCES,
  membershipQuery,
  openAbsenceCountQuery,
  openAbsencesQuery,
  soonestFirst,
} from '../../planning/absences';
import { declineForAbsence, withdrawStatement } from '../../planning/answers';
import { assignmentActionsQuery, openAssignmentsInRangeQuery, pendingFromQuery } from '../../planning/assignments';
import { cakesInRangeQuery, MAX_CAKE_DAY_RANGE, toCakeDays } from '../../planning/cake-days';
import { countDueCakes } from '../../planning/ledger';
import { assignmentChanged, withdrawnMail } from '../../planning/notices';
import { rotationQueries, toRotation } from '../../planning/rotation';
import { type CakeRule, formatRule, isCakeDay, parseRule } from '../../planning/rrule';
import { groupScheduleQuery, putScheduleStatement, scheduleOf, toScheduleView } from '../../planning/schedule';
import { canManageGroup, canSeePlanningOf } from '../../policy';
import type * as routes from './planning.routes';

const groupNotFound = () => new ApiError('not_found', 'No such group.');

/**
 * The earliest "today" anywhere (UTC−12): an absence is over only when it
 * ended before that, so one that still runs in some group's zone is listed.
 */
const earliestToday = () => addDays(new Date().toISOString().slice(0, 10), -1);

export const getSchedule: AppRouteHandler<typeof routes.getSchedule> = async (c) => {
  const { id } = c.req.valid('param');
  const [caller, [group]] = await c.var.auth.check(() => [groupScheduleQuery(c.var.db, id)]);
  if (!group || !canSeePlanningOf(caller, id)) throw groupNotFound();
  return c.json(toScheduleView(scheduleOf(group), localDate(group.timeZone)), 200);
};

export const putSchedule: AppRouteHandler<typeof routes.putSchedule> = async (c) => {
  const { id } = c.req.valid('param');
  const input = c.req.valid('json');
  const db = c.var.db;
  const [caller, [group], pending] = await c.var.auth.check(() => [
    groupScheduleQuery(db, id),
    pendingFromQuery(db, id, earliestToday()),
  ]);
  if (!group || !canSeePlanningOf(caller, id)) throw groupNotFound();
  if (!canManageGroup(caller, id))
    throw new ApiError('forbidden', 'Only a global admin or an admin of this group sets its schedule.');
  let ruleText: string | null = null;
  let rule: CakeRule | null = null;
  if (input.rule !== null) {
    const parsed = parseRule(input.rule);
    if (!parsed.ok) throw invalidField('rule', parsed.reason);
    rule = parsed.rule;
    ruleText = formatRule(parsed.rule);
  }
  const today = localDate(group.timeZone);
  // Pending assignments on dates the new schedule makes no cake days are withdrawn in the same batch.
  const startDate = input.startDate ?? group.startDate ?? today;
  const gone = pending.filter((a) => !rule || !isCakeDay(rule, startDate, a.date, input.skipDates ?? [])).map((a) => a.id);
  const withdrawal = gone.length
    ? ([withdrawStatement(db, gone, 'The date is no longer a cake day.'), assignmentActionsQuery(db, gone)] as const)
    : ([] as const);
  const [, [stored], ...withdrawn] = await db.batch([
    putScheduleStatement(db, id, input, ruleText, today),
    groupScheduleQuery(db, id),
    ...withdrawal,
  ]);
  const schedule = scheduleOf(stored!)!;
  const told = (withdrawn[1] ?? []).filter((a) => a.status === 'withdrawn');
  if (told.length) {
    afterResponse(
      c,
      Promise.all([
        enqueueMail(c.env, ...told.map(withdrawnMail)),
        ...told.map((a) => publish(c.env, assignmentChanged(a), { origin: publicUrl(c) })),
      ]),
    );
  }
  // A start in the past brings cakes that have come due: counted after the answer, as the daily run would.
  if (schedule.startDate < today)
    afterResponse(c, countDueCakes(db, { id, timeZone: group.timeZone, startDate: schedule.startDate }, today));
  return c.json(toScheduleView(schedule, today), 200);
};

export const listCakeDays: AppRouteHandler<typeof routes.listCakeDays> = async (c) => {
  const { id } = c.req.valid('param');
  const { from, to } = c.req.valid('query');
  if (to < from) throw invalidField('to', 'Must not be before from');
  if (daysBetween(from, to) >= MAX_CAKE_DAY_RANGE)
    throw invalidField('to', `At most ${MAX_CAKE_DAY_RANGE} days from \`from\`, both included`);
  const db = c.var.db;
  const [caller, [group], cakes, assigned] = await c.var.auth.check(() => [
    groupScheduleQuery(db, id),
    cakesInRangeQuery(db, id, from, to),
    openAssignmentsInRangeQuery(db, id, from, to),
  ]);
  if (!group || !canSeePlanningOf(caller, id)) throw groupNotFound();
  return c.json(toCakeDays(scheduleOf(group), from, to, cakes, assigned), 200);
};

export const getRotation: AppRouteHandler<typeof routes.getRotation> = async (c) => {
  const { id } = c.req.valid('param');
  const db = c.var.db;
  // The group's today decides the horizon; it is known only after the read, so the range starts at the
  // earliest today anywhere and is cut in code.
  const [caller, [group], ...rotation] = await c.var.auth.check(() => [
    groupScheduleQuery(db, id),
    ...rotationQueries(db, id, earliestToday()),
  ]);
  if (!group || !canSeePlanningOf(caller, id)) throw groupNotFound();
  const today = localDate(group.timeZone);
  const [members, covered, assigned] = rotation;
  const coveredDays = new Set([...covered, ...assigned].map((e) => e.date).filter((d) => d >= today));
  return c.json(toRotation(scheduleOf(group), today, members, coveredDays), 200);
};

export const listAbsences: AppRouteHandler<typeof routes.listAbsences> = async (c) => {
  const [, rows] = await c.var.auth.check((me) => [openAbsencesQuery(c.var.db, me, earliestToday())]);
  return c.json(soonestFirst(rows), 200);
};

export const createAbsence: AppRouteHandler<typeof routes.createAbsence> = async (c) => {
  const [caller] = await c.var.auth.check();
  const { from, to, groupId = null } = c.req.valid('json');
  if (to < from) throw invalidField('to', 'Must not be before from');
  if (daysBetween(from, to) >= MAX_ABSENCE_DAYS)
    throw invalidField('to', `An absence spans at most ${MAX_ABSENCE_DAYS} days, both included`);
  const today = earliestToday();
  if (to < today) throw invalidField('to', 'An absence that is already over changes nothing');
  const db = c.var.db;
  const id = crypto.randomUUID();
  // The conditions are the INSERT's own; the reads after it tell which one failed.
  const [, declined, rows, count, member] = await db.batch([
    insertAbsenceStatement(db, { id, userId: caller.id, groupId, from, to }, today),
    // Declines the caller's pending assignments on those days, once the absence is recorded.
    declineForAbsence(db, { userId: caller.id, from, to, groupId, absenceId: id }),
    absenceByIdQuery(db, caller.id, id),
    openAbsenceCountQuery(db, caller.id, today),
    membershipQuery(db, caller.id, groupId ?? ''),
  ]);
  if (rows[0]) {
    const messages = declined.map((a) =>
      assignmentChanged({ ...a, status: 'declined', userId: caller.id, userName: caller.name }),
    );
    afterResponse(c, Promise.all(messages.map((m) => publish(c.env, m, { origin: publicUrl(c) }))));
    return c.json(rows[0], 201);
  }
  if (groupId !== null && member.length === 0) throw groupNotFound();
  if ((count[0]?.n ?? 0) >= MAX_OPEN_ABSENCES) {
    throw new ApiError('conflict', `At most ${MAX_OPEN_ABSENCES} current or future absences; withdraw one first.`);
  }
  throw groupNotFound();
};

export const deleteAbsence: AppRouteHandler<typeof routes.deleteAbsence> = async (c) => {
  const { id } = c.req.valid('param');
  const [caller] = await c.var.auth.check();
  const deleted = await deleteAbsenceStatement(c.var.db, caller.id, id);
  if (deleted.length === 0) throw new ApiError('not_found', 'No such absence.');
  return c.json({ message: 'Absence withdrawn.' }, 200);
};
