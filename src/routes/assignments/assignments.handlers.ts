import type { Caller } from '../../auth/caller';
import { ApiError } from '../../errors';
import { groupOfNewEvent } from '../../events/creation';
import { cakeColumns } from '../../events/dietary';
import { toCakeEvent } from '../../events/view';
import { afterResponse } from '../../lib/after-response';
import type { AppRouteHandler } from '../../lib/create-router';
import { publicUrl } from '../../lib/public-url';
import { addDays, localDate } from '../../lib/time';
import { publish } from '../../live/publish';
import { enqueueMail } from '../../mail';
import {
  acceptAssignment as accept,
  answerStatement,
  assignStatements,
  declineAssignment as decline,
  declineQueries,
} from '../../planning/answers';
import {
  type AssignmentAction,
  assignmentActionQuery,
  openAssignmentsInRangeQuery,
  ownAssignments,
  ownAssignmentsQueries,
  RECENT_DAYS,
  toAssignment,
} from '../../planning/assignments';
import { cakesInRangeQuery } from '../../planning/cake-days';
import { candidatesInOrder, candidatesQuery, whyNot } from '../../planning/candidates';
import { announceAcceptance, announceAssigned, announceDecline, assignmentChanged, withdrawnMail } from '../../planning/notices';
import { isCakeDay } from '../../planning/rrule';
import { groupScheduleQuery, scheduleOf } from '../../planning/schedule';
import { canAnswerAssignment, canAssignIn, canSeeAssignment, canSeePlanningOf, canWithdrawAssignment } from '../../policy';
import type * as routes from './assignments.routes';

const notFound = () => new ApiError('not_found', 'No such assignment.');
const answered = (a: { status: string }) => new ApiError('already_answered', `This assignment is ${a.status} already.`);

/** The earliest "today" anywhere (UTC−12): reads made before the group's zone is known start there. */
const earliestToday = () => addDays(new Date().toISOString().slice(0, 10), -1);

/** The assignment, if the caller may see it (else 404); each route then applies its own rule (403 for a member who may not act). */
function visible(caller: Caller, a: AssignmentAction | undefined): AssignmentAction {
  if (!a || !canSeeAssignment(caller, a)) throw notFound();
  return a;
}

export const createAssignment: AppRouteHandler<typeof routes.createAssignment> = async (c) => {
  const { id, date } = c.req.valid('param');
  const { userId } = c.req.valid('json') ?? {};
  const db = c.var.db;
  const [caller, [group], covering, open, members] = await c.var.auth.check(() => [
    groupScheduleQuery(db, id),
    cakesInRangeQuery(db, id, date, date),
    openAssignmentsInRangeQuery(db, id, date, date),
    candidatesQuery(db, id, date, earliestToday()),
  ]);
  if (!group || !canSeePlanningOf(caller, id)) throw new ApiError('not_found', 'No such group.');
  if (!canAssignIn(caller, id))
    throw new ApiError('forbidden', 'Only a global admin or an admin of this group assigns cake days.');
  const schedule = scheduleOf(group);
  if (!schedule?.rule || !isCakeDay(schedule.rule, schedule.startDate, date, schedule.skipDates)) {
    throw new ApiError('not_a_cake_day', `${date} is no cake day of the group’s schedule.`);
  }
  if (date < localDate(group.timeZone)) throw new ApiError('not_a_cake_day', `${date} has passed.`);
  if (covering.length > 0) throw new ApiError('cake_day_taken', `A cake is on ${date} already.`);
  if (open.length > 0) throw new ApiError('cake_day_taken', `${date} has a ${open[0]!.status} assignment already.`);
  let assignee: string;
  if (userId !== undefined) {
    const member = members.find((m) => m.userId === userId);
    if (!member) throw new ApiError('member_unavailable', 'That user is not a member of the group.');
    const reason = whyNot(member);
    if (reason) throw new ApiError('member_unavailable', reason);
    assignee = userId;
  } else {
    const first = candidatesInOrder(members)[0];
    if (!first) throw new ApiError('member_unavailable', `No member is available on ${date} who has not had it.`);
    assignee = first.userId;
  }
  const [, [made]] = await db.batch(assignStatements(db, { id: crypto.randomUUID(), groupId: id, userId: assignee, date }));
  // Refused by its own conditions: a cake or another assignment came first.
  if (!made) throw new ApiError('cake_day_taken', `${date} was taken meanwhile.`);
  afterResponse(c, announceAssigned(c.env, publicUrl(c), made));
  return c.json(toAssignment(made), 201);
};

export const listOwnAssignments: AppRouteHandler<typeof routes.listOwnAssignments> = async (c) => {
  const since = new Date(Date.now() - RECENT_DAYS * 86_400_000).toISOString();
  const [, pending, recent] = await c.var.auth.check((me) => ownAssignmentsQueries(c.var.db, me, earliestToday(), since));
  return c.json(ownAssignments(pending, recent), 200);
};

export const acceptAssignment: AppRouteHandler<typeof routes.acceptAssignment> = async (c) => {
  const { id } = c.req.valid('param');
  const { description, ...dietary } = c.req.valid('json') ?? {};
  const db = c.var.db;
  const [caller, [row]] = await c.var.auth.check(() => [assignmentActionQuery(db, id)]);
  const a = visible(caller, row);
  if (!canAnswerAssignment(caller, a)) throw new ApiError('forbidden', 'Only the assignee answers an assignment.');
  if (a.status !== 'pending') throw answered(a);
  if (a.date < localDate(a.timeZone)) throw new ApiError('not_a_cake_day', `${a.date} has passed.`);
  // The rule of POST /api/events: only members bake in a group.
  groupOfNewEvent(caller, a.groupId);
  const outcome = await accept(db, a, { description: description ?? '', ...cakeColumns(dietary) });
  if (!outcome) throw new ApiError('already_answered', 'This assignment was answered or withdrawn meanwhile.');
  afterResponse(c, announceAcceptance(c.env, db, publicUrl(c), outcome));
  const event = await toCakeEvent(outcome.event, { env: c.env, caller, origin: publicUrl(c) });
  return c.json({ event, assignment: toAssignment(outcome.assignment) }, 201);
};

export const declineAssignment: AppRouteHandler<typeof routes.declineAssignment> = async (c) => {
  const { id } = c.req.valid('param');
  const { reason } = c.req.valid('json') ?? {};
  const db = c.var.db;
  const [caller, [row], members] = await c.var.auth.check(() => declineQueries(db, id, earliestToday()));
  const a = visible(caller, row);
  if (!canAnswerAssignment(caller, a)) throw new ApiError('forbidden', 'Only the assignee answers an assignment.');
  if (a.status !== 'pending') throw answered(a);
  const outcome = await decline(db, a, members, reason ?? null);
  if (!outcome) throw new ApiError('already_answered', 'This assignment was answered or withdrawn meanwhile.');
  afterResponse(c, announceDecline(c.env, publicUrl(c), outcome));
  return c.json(toAssignment(outcome.assignment), 200);
};

export const withdrawAssignment: AppRouteHandler<typeof routes.withdrawAssignment> = async (c) => {
  const { id } = c.req.valid('param');
  const db = c.var.db;
  const [caller, [row]] = await c.var.auth.check(() => [assignmentActionQuery(db, id)]);
  const a = visible(caller, row);
  if (!canWithdrawAssignment(caller, a)) {
    throw new ApiError('forbidden', 'Only a global admin or an admin of this group withdraws an assignment.');
  }
  if (a.status !== 'pending') throw answered(a);
  const done = await answerStatement(db, id, 'withdrawn', null);
  if (done.length === 0) throw new ApiError('already_answered', 'This assignment was answered meanwhile.');
  afterResponse(
    c,
    Promise.all([
      enqueueMail(c.env, withdrawnMail(a)),
      publish(c.env, assignmentChanged({ ...a, status: 'withdrawn' }), { origin: publicUrl(c) }),
    ]),
  );
  return c.json({ message: 'Assignment withdrawn.' }, 200);
};
