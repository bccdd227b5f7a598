import { createRoute, z } from '@hono/zod-openapi';
import { pathParam } from '../../lib/openapi';
import { ANSWERS } from '../../planning/answer-links';

const answerParam = z.enum(ANSWERS).openapi({ param: { name: 'answer', in: 'path' } });

const params = z.object({
  id: pathParam('id', 'The assignment'),
  answer: answerParam,
  signature: pathParam('signature', 'HMAC of the assignment and the answer, base64url'),
});

const html = (description: string) => ({ description, content: { 'text/html': { schema: z.string() } } });

/** What a link's page (GET) and its button (POST) share: the tag, the parameters and the address. */
const linkPage = <P extends z.ZodObject>(tag: string, params: P, path: string) => ({ tags: [tag], request: { params }, path });

const QUESTION = html('The question and a button (a form POST to the same address)');
const OUTCOME = html('What came of it');

const answerPage = linkPage('Planning', params, '/answer/{id}/{answer}/{signature}');

const ERRORS = {
  403: html('The signature is not valid for this assignment and answer: a page saying so; nothing changed'),
  404: html('No such assignment (any more): a page saying so'),
  409: html('The assignment was answered or withdrawn already: a page saying so; nothing changed'),
  410: html('The assignment’s date has passed: a page saying so; nothing changed'),
};

export const showAnswerPage = createRoute({
  ...answerPage,
  method: 'get',
  summary: 'The page behind an assignment mail’s accept or decline link (public, signed)',
  description:
    'Only shows the question and one button, in the assignee’s mail language: opening the link (as mail scanners ' +
    'do) changes nothing. The signature binds the assignment and the answer; the link is valid until the ' +
    'assignment’s date (in the group’s time zone) and while it is pending. No session needed; no script.',
  responses: { 200: QUESTION, ...ERRORS },
});

export const submitAnswerPage = createRoute({
  ...answerPage,
  method: 'post',
  summary: 'Answer an assignment from its mail link (public, signed)',
  description:
    'The button of the page above: accepts (creating the cake as `POST /api/assignments/{id}/accept` does) or ' +
    'declines (passing the date on when the group has autoAssign). Answered once: a second press finds it answered (409).',
  responses: { 200: OUTCOME, ...ERRORS },
});

const takeParams = z.object({
  id: pathParam('id', 'The hand-over offer'),
  userId: pathParam('userId', 'The member the mail was sent to'),
  signature: pathParam('signature', 'HMAC of the offer and the member, base64url'),
});

const TAKE_ERRORS = {
  403: html('The signature is not valid for this offer and member: a page saying so; nothing changed'),
  404: html('No such offer, or the member is no longer in the group or active: a page saying so'),
  409: html('The offer was taken or withdrawn, or the member is away that day: a page saying why; nothing changed'),
  410: html('The cake’s date has come: a page saying so; nothing changed'),
};

const takePage = linkPage('Hand-overs and swaps', takeParams, '/answer/take/{id}/{userId}/{signature}');

export const showTakePage = createRoute({
  ...takePage,
  method: 'get',
  summary: 'The page behind a hand-over mail’s “take it” link (public, signed)',
  description:
    'Each member the offer was mailed to gets their own link. Opening it (as mail scanners do) only shows the ' +
    'question and one button, in the member’s mail language. Valid while the offer is open and its date has not ' +
    'come. No session needed; no script.',
  responses: { 200: QUESTION, ...TAKE_ERRORS },
});

export const submitTakePage = createRoute({
  ...takePage,
  method: 'post',
  summary: 'Take a hand-over offer from its mail link (public, signed)',
  description:
    'The button of the page above: takes the cake as `POST /api/handovers/{id}/take` does, for the member the ' +
    'link was sent to (first taker wins; the offerer is mailed, the group hears `HANDOVER_TAKEN`). A second ' +
    'press, or another member’s after the first, finds it taken (409).',
  responses: { 200: OUTCOME, ...TAKE_ERRORS },
});

const swapParams = z.object({
  id: pathParam('id', 'The swap request'),
  userId: pathParam('userId', 'The other baker, whom the mail was sent to'),
  answer: answerParam,
  signature: pathParam('signature', 'HMAC of the request, the baker and the answer, base64url'),
});

const SWAP_ERRORS = {
  403: html('The signature is not valid for this request, baker and answer: a page saying so; nothing changed'),
  404: html('No such request for this baker, or their account is inactive: a page saying so'),
  409: html('The request was answered, or cancelled because a cake changed: a page saying so; nothing changed'),
  410: html('The date of one of the cakes has come: a page saying so; nothing changed'),
};

const swapPage = linkPage('Hand-overs and swaps', swapParams, '/answer/swap/{id}/{userId}/{answer}/{signature}');

export const showSwapPage = createRoute({
  ...swapPage,
  method: 'get',
  summary: 'The page behind a swap request mail’s accept or decline link (public, signed)',
  description:
    'The mail of a swap request carries the other baker’s own two links. Opening one (as mail scanners do) only ' +
    'shows the question and one button, in the baker’s mail language. Valid while the request is pending. ' +
    'No session needed; no script.',
  responses: { 200: QUESTION, ...SWAP_ERRORS },
});

export const submitSwapPage = createRoute({
  ...swapPage,
  method: 'post',
  summary: 'Answer a swap request from its mail link (public, signed)',
  description:
    'The button of the page above: accepts (exchanging the two dates as `POST /api/swaps/{id}/accept` does) or ' +
    'declines. The requester is mailed; an accepted swap is told to the group as `EVENT_UPDATED` for both cakes. ' +
    'Answered once: a second press finds it answered (409).',
  responses: { 200: OUTCOME, ...SWAP_ERRORS },
});
