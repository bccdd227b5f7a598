import { createRoute, z } from '@hono/zod-openapi';
import { authenticate } from '../../auth/authenticate';
import { PER_MINUTE } from '../../auth/budgets';
import { HandoverSchema, MAX_OPEN_HANDOVERS, NewHandoverSchema } from '../../events/handovers';
import { CakeEventSchema } from '../../events/schema';
import { NewSwapSchema, SwapRequestSchema } from '../../events/swaps';
import { bearerAuth, IdParam, jsonBody, jsonContent, problems } from '../../lib/openapi';

const handovers = { tags: ['Hand-overs and swaps'], security: bearerAuth };

const BUDGET = `At most ${PER_MINUTE} hand-over actions a user per minute (429 with \`Retry-After\`).`;

export const offerHandover = createRoute({
  ...handovers,
  middleware: authenticate({ budget: 'handovers' }),
  method: 'post',
  path: '/events/{id}/handover',
  summary: 'Offer an upcoming cake to the group',
  description:
    'Only the baker, while the event is upcoming: an event whose date has come (today or earlier in the group’s time zone) → 409; ' +
    'another member → 403; an event the caller cannot see → 404. One open offer per event (a second → 409). ' +
    'The group’s other active members are mailed and the group hears `HANDOVER_OFFERED`. ' +
    'The offer ends when someone takes it, the baker withdraws it, the event is deleted or its date comes (`expired`). ' +
    BUDGET,
  request: { params: IdParam, body: { ...jsonBody(NewHandoverSchema), required: false } },
  responses: { 201: jsonContent(HandoverSchema, 'The open offer'), ...problems(400, 401, 403, 404, 409, 429) },
});

export const listHandovers = createRoute({
  ...handovers,
  middleware: authenticate(),
  method: 'get',
  path: '/groups/{id}/handovers',
  summary: 'The group’s open hand-over offers',
  description:
    'A member of the group or a global admin; anyone else gets 404, as for an unknown group. ' +
    `The open offers whose date has not come, oldest offer first, at most ${MAX_OPEN_HANDOVERS}.`,
  request: { params: IdParam },
  responses: { 200: jsonContent(z.array(HandoverSchema), 'The open offers'), ...problems(401, 404) },
});

export const takeHandover = createRoute({
  ...handovers,
  middleware: authenticate({ budget: 'handovers' }),
  method: 'post',
  path: '/handovers/{id}/take',
  summary: 'Take a cake over: the caller bakes it now',
  description:
    'Another member of the group (a global admin who is not a member: 403; the offerer themself: 409). ' +
    'The caller becomes the event’s baker; its description, cover photo and dietary fields are cleared, and the ' +
    'calendar entry’s SEQUENCE goes up. Exactly one taker wins, also when many take at once: the others get 409 ' +
    '`already_taken`. A withdrawn offer, or one whose date has come, → 409; a caller away that day (an absence) → 409 ' +
    'naming it. The offerer is mailed; the group hears `HANDOVER_TAKEN` and `EVENT_UPDATED`. ' +
    BUDGET,
  request: { params: IdParam },
  responses: {
    200: jsonContent(
      z.object({ event: CakeEventSchema, handover: HandoverSchema }).openapi('TakenHandover'),
      'The event as the new baker sees it, and the offer, taken',
    ),
    ...problems(401, 403, 404, 409, 429),
  },
});

export const withdrawHandover = createRoute({
  ...handovers,
  middleware: authenticate({ budget: 'handovers' }),
  method: 'delete',
  path: '/handovers/{id}',
  summary: 'Withdraw an open offer',
  description:
    'The offerer, an admin of the group or a global admin (another member: 403; not visible: 404). ' +
    `An offer that has ended (taken, withdrawn, expired) → 409. ${BUDGET}`,
  request: { params: IdParam },
  responses: { 200: jsonContent(HandoverSchema, 'The offer, withdrawn'), ...problems(401, 403, 404, 409, 429) },
});

const SWAP_BUDGET = `At most ${PER_MINUTE} swap actions a user per minute (429 with \`Retry-After\`).`;

export const requestSwap = createRoute({
  ...handovers,
  middleware: authenticate({ budget: 'swaps' }),
  method: 'post',
  path: '/events/{id}/swap',
  summary: 'Ask another baker to swap cake days',
  description:
    'The baker of `{id}` (another member: 403) asks the baker of `withEventId` to exchange the two dates; each cake keeps ' +
    'its baker, description and photos. Both upcoming (else 409), in the same group (`withEventId` of another group, or ' +
    'one the caller cannot see: 404). `withEventId` equal to `{id}`: 400; another cake of the caller’s own, two cakes on ' +
    'the same day or a second pending request for the same pair: 409. The other baker is mailed. ' +
    SWAP_BUDGET,
  request: { params: IdParam, body: jsonBody(NewSwapSchema) },
  responses: { 201: jsonContent(SwapRequestSchema, 'The pending request'), ...problems(400, 401, 403, 404, 409, 429) },
});

const ANSWER =
  'Only the baker of `withEventId` (anyone else in the group: 403; not visible: 404). A request that has ended ' +
  '(accepted, declined, cancelled) → 409. ';

export const acceptSwap = createRoute({
  ...handovers,
  middleware: authenticate({ budget: 'swaps' }),
  method: 'post',
  path: '/swaps/{id}/accept',
  summary: 'Accept a swap: the two cakes exchange their dates',
  description:
    ANSWER +
    'Atomic: the dates are exchanged only if neither cake changed (date or baker) since the request and both are still ' +
    'upcoming; otherwise 409 and the request is `cancelled`. Both calendar entries keep their UID with a higher SEQUENCE; ' +
    'the group hears `EVENT_UPDATED` for each, and the requester is mailed. ' +
    SWAP_BUDGET,
  request: { params: IdParam },
  responses: {
    200: jsonContent(
      z.object({ events: z.array(CakeEventSchema) }).openapi('SwappedEvents'),
      'Both cakes with their new dates: the requested one first',
    ),
    ...problems(401, 403, 404, 409, 429),
  },
});

export const declineSwap = createRoute({
  ...handovers,
  middleware: authenticate({ budget: 'swaps' }),
  method: 'post',
  path: '/swaps/{id}/decline',
  summary: 'Decline a swap',
  description: `${ANSWER}The requester is mailed. ${SWAP_BUDGET}`,
  request: { params: IdParam },
  responses: { 200: jsonContent(SwapRequestSchema, 'The request, declined'), ...problems(401, 403, 404, 409, 429) },
});
