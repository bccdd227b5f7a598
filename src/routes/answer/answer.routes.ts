import { createRoute, z } from '@hono/zod-openapi';
import { ANSWERS } from '../../planning/answer-links';

const params = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: 'id', in: 'path' }, description: 'The assignment' }),
  answer: z.enum(ANSWERS).openapi({ param: { name: 'answer', in: 'path' } }),
  signature: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: 'signature', in: 'path' }, description: 'HMAC of the assignment and the answer, base64url' }),
});

const html = (description: string) => ({ description, content: { 'text/html': { schema: z.string() } } });

const pages = {
  tags: ['Planning'],
  request: { params },
};

const ERRORS = {
  403: html('The signature is not valid for this assignment and answer: a page saying so; nothing changed'),
  404: html('No such assignment (any more): a page saying so'),
  409: html('The assignment was answered or withdrawn already: a page saying so; nothing changed'),
  410: html('The assignment’s date has passed: a page saying so; nothing changed'),
};

export const showAnswerPage = createRoute({
  ...pages,
  method: 'get',
  path: '/answer/{id}/{answer}/{signature}',
  summary: 'The page behind an assignment mail’s accept or decline link (public, signed)',
  description:
    'Only shows the question and one button, in the assignee’s mail language: opening the link (as mail scanners ' +
    'do) changes nothing. The signature binds the assignment and the answer; the link is valid until the ' +
    'assignment’s date (in the group’s time zone) and while it is pending. No session needed; no script.',
  responses: { 200: html('The question and a button (a form POST to the same address)'), ...ERRORS },
});

export const submitAnswerPage = createRoute({
  ...pages,
  method: 'post',
  path: '/answer/{id}/{answer}/{signature}',
  summary: 'Answer an assignment from its mail link (public, signed)',
  description:
    'The button of the page above: accepts (creating the cake as `POST /api/assignments/{id}/accept` does) or ' +
    'declines (passing the date on when the group has autoAssign). Answered once: a second press finds it answered (409).',
  responses: { 200: html('What came of it'), ...ERRORS },
});
