import { createRoute, z } from '@hono/zod-openapi';
import { authenticate } from '../../auth/authenticate';
import { AllergensField, SuitableForField } from '../../events/dietary';
import { CakeEventSchema, EventDescriptionField } from '../../events/schema';
import { bearerAuth, IdParam, jsonBody, jsonContent, MessageSchema, problems } from '../../lib/openapi';
import { AssignmentSchema, MAX_LISTED, RECENT_DAYS } from '../../planning/assignments';
import { LocalDateField } from '../../planning/schedule';

const planning = { tags: ['Planning'], security: bearerAuth };

const SCOPE =
  'A member of the group who may not act gets 403; anyone else (another group, an unknown id) 404, as for an id that does not exist.';

export const createAssignment = createRoute({
  ...planning,
  middleware: authenticate({ budget: 'assignments' }),
  method: 'post',
  path: '/groups/{id}/cake-days/{date}/assignment',
  summary: 'Ask a member to bake on a cake day (global admin, or admin of that group)',
  description:
    'Without `userId`, the first member of the rotation who is available on that date (not away, active) and has not ' +
    'had it (declined it before) is asked; with it, that member, else 409 `member_unavailable` with the reason. A date ' +
    'that is no cake day of the schedule (or has passed) is 409 `not_a_cake_day`; a cake day a cake covers or that has ' +
    'a pending or accepted assignment 409 `cake_day_taken`. The assignee gets a mail with accept and decline links. ' +
    SCOPE,
  request: {
    params: IdParam.extend({ date: LocalDateField.openapi({ param: { name: 'date', in: 'path' } }) }),
    body: {
      ...jsonBody(
        z
          .object({ userId: z.string().min(1).max(64).optional().openapi({ description: 'A member of the group' }) })
          .openapi('NewAssignment'),
      ),
      required: false,
    },
  },
  responses: { 201: jsonContent(AssignmentSchema, 'The assignment, pending'), ...problems(400, 401, 403, 404, 409, 429) },
});

export const listOwnAssignments = createRoute({
  ...planning,
  middleware: authenticate(),
  method: 'get',
  path: '/user/assignments',
  summary: 'The caller’s assignments',
  description:
    `The pending ones (dates from today on, soonest first), then every one created in the last ${RECENT_DAYS} days in any ` +
    `status, newest first; at most ${MAX_LISTED} of each.`,
  responses: { 200: jsonContent(z.array(AssignmentSchema), 'Pending first'), ...problems(401) },
});

export const acceptAssignment = createRoute({
  ...planning,
  middleware: authenticate({ budget: 'create-event' }),
  method: 'post',
  path: '/assignments/{id}/accept',
  summary: 'Accept an assignment: the assignee bakes (creates the cake)',
  description:
    'Creates the event as `POST /api/events` does (baker = the assignee, who must be a member of the group; the same ' +
    'mails, live message and hourly budget). Answered once: 409 `already_answered` after, also when another answer or ' +
    'a withdrawal came first; 409 `not_a_cake_day` once the date has passed. `allergens` and `suitableFor` are stated ' +
    'on the cake as on `POST /api/events`. ' +
    SCOPE,
  request: {
    params: IdParam,
    body: {
      ...jsonBody(
        z
          .object({
            description: EventDescriptionField.nullish(),
            allergens: AllergensField,
            suitableFor: SuitableForField.optional(),
          })
          .openapi('AssignmentAcceptance'),
      ),
      required: false,
    },
  },
  responses: {
    201: jsonContent(z.object({ event: CakeEventSchema, assignment: AssignmentSchema }), 'The new cake and the assignment'),
    ...problems(400, 401, 403, 404, 409, 429),
  },
});

export const declineAssignment = createRoute({
  ...planning,
  middleware: authenticate({ budget: 'assignments' }),
  method: 'post',
  path: '/assignments/{id}/decline',
  summary: 'Decline an assignment',
  description:
    'Records the reason. When the group’s schedule has `autoAssign`, the next available member of the rotation who has ' +
    'not had that date is asked at once. Answered once: 409 `already_answered` after. ' +
    SCOPE,
  request: {
    params: IdParam,
    body: {
      ...jsonBody(z.object({ reason: z.string().max(500, 'At most 500 characters').nullish() }).openapi('AssignmentDecline')),
      required: false,
    },
  },
  responses: { 200: jsonContent(AssignmentSchema, 'The assignment, declined'), ...problems(400, 401, 403, 404, 409, 429) },
});

export const withdrawAssignment = createRoute({
  ...planning,
  middleware: authenticate({ budget: 'assignments' }),
  method: 'delete',
  path: '/assignments/{id}',
  summary: 'Withdraw a pending assignment (global admin, or admin of that group)',
  description:
    'The assignee is told by mail. An answered one is 409 `already_answered` (an accepted one made a cake: delete that ' +
    'instead, which ends the assignment). ' +
    SCOPE,
  request: { params: IdParam },
  responses: { 200: jsonContent(MessageSchema, 'Withdrawn'), ...problems(401, 403, 404, 409, 429) },
});
