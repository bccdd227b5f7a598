import { createRoute, z } from '@hono/zod-openapi';
import { authenticate } from '../../auth/authenticate';
import { bearerAuth, IdParam, jsonBody, jsonContent, MessageSchema, problems } from '../../lib/openapi';
import { AbsenceSchema, MAX_ABSENCE_DAYS, MAX_OPEN_ABSENCES, NewAbsenceSchema } from '../../planning/absences';
import { CakeDaySchema, MAX_CAKE_DAY_RANGE } from '../../planning/cake-days';
import { ROTATION_DESCRIPTION, RotationEntrySchema } from '../../planning/rotation';
import { LocalDateField, MAX_SKIP_DATES, ScheduleInputSchema, ScheduleSchema } from '../../planning/schedule';

const planning = { tags: ['Planning'], security: bearerAuth };

const SCOPE = 'A member of the group or a global admin; anyone else gets 404, as for an unknown group. ';

export const getSchedule = createRoute({
  ...planning,
  middleware: authenticate(),
  method: 'get',
  path: '/groups/{id}/schedule',
  summary: 'The group’s cake-day schedule',
  description: `${SCOPE}A group without a schedule answers \`rule: null\` with the defaults and no cake days.`,
  request: { params: IdParam },
  responses: { 200: jsonContent(ScheduleSchema, 'The schedule'), ...problems(401, 404) },
});

export const putSchedule = createRoute({
  ...planning,
  middleware: authenticate({ budget: 'schedule' }),
  method: 'put',
  path: '/groups/{id}/schedule',
  summary: 'Set the group’s cake-day schedule (global admin, or admin of that group)',
  description:
    'Replaces the whole schedule: omitted fields take their defaults, except `startDate`, which the first PUT sets to ' +
    'the group’s today and a later PUT keeps. The ledger counts cakes from `startDate` on. A rule outside the subset is ' +
    `400 with the reason, naming the part. At most ${MAX_SKIP_DATES} skip dates. Changing the rule never touches existing events. ` +
    'A member of the group who is not its admin gets 403; anyone else who may not see the group 404.',
  request: { params: IdParam, body: jsonBody(ScheduleInputSchema) },
  responses: { 200: jsonContent(ScheduleSchema, 'The schedule as stored'), ...problems(400, 401, 403, 404, 429) },
});

export const listCakeDays = createRoute({
  ...planning,
  middleware: authenticate(),
  method: 'get',
  path: '/groups/{id}/cake-days',
  summary: 'The group’s cake days in a range, with what covers each',
  description: `${SCOPE}\`from\` and \`to\` are the group’s local dates, both included, at most ${MAX_CAKE_DAY_RANGE} days apart. Cakes on other dates (birthdays) are no cake days.`,
  request: {
    params: IdParam,
    query: z.object({ from: LocalDateField, to: LocalDateField }),
  },
  responses: { 200: jsonContent(z.array(CakeDaySchema), 'The cake days, ascending'), ...problems(400, 401, 404) },
});

export const getRotation = createRoute({
  ...planning,
  middleware: authenticate(),
  method: 'get',
  path: '/groups/{id}/rotation',
  summary: 'The cake ledger: who should bake next first',
  description: `${SCOPE}${ROTATION_DESCRIPTION}`,
  request: { params: IdParam },
  responses: {
    200: jsonContent(z.array(RotationEntrySchema), 'Every member of the group, in rotation order'),
    ...problems(401, 404),
  },
});

export const listAbsences = createRoute({
  ...planning,
  middleware: authenticate(),
  method: 'get',
  path: '/user/absences',
  summary: 'The caller’s current and future absences',
  responses: { 200: jsonContent(z.array(AbsenceSchema), 'Soonest first'), ...problems(401) },
});

export const createAbsence = createRoute({
  ...planning,
  middleware: authenticate({ budget: 'absences' }),
  method: 'post',
  path: '/user/absences',
  summary: 'Declare an absence',
  description:
    `\`to >= from\`, at most ${MAX_ABSENCE_DAYS} days (both included), not ending in the past; \`groupId\` one of the caller’s ` +
    `groups (another id is 404), or null for every group. At most ${MAX_OPEN_ABSENCES} current or future absences (409 for one more). ` +
    'Away members are neither assigned nor given a share of cakes on those days; other members see only `available` and ' +
    '`awayUntil` in the rotation.',
  request: { body: jsonBody(NewAbsenceSchema) },
  responses: { 201: jsonContent(AbsenceSchema, 'The absence'), ...problems(400, 401, 404, 409, 429) },
});

export const deleteAbsence = createRoute({
  ...planning,
  middleware: authenticate({ budget: 'absences' }),
  method: 'delete',
  path: '/user/absences/{id}',
  summary: 'Withdraw one of the caller’s absences',
  description: 'Another user’s absence is 404, as an unknown id. Cakes the ledger already counted stay counted as they were.',
  request: { params: IdParam },
  responses: { 200: jsonContent(MessageSchema, 'Withdrawn'), ...problems(401, 404, 429) },
});
