import { createRoute, z } from '@hono/zod-openapi';
import { authenticate } from '../../auth/authenticate';
import { pageContent, problems } from '../../lib/openapi';
import { PAGE_DESCRIPTION, pageQuery } from '../../lib/pagination';
import { requireGlobalAdmin } from '../../policy';
import { adminTags } from './admin.common';

const DEAD_LETTER_PAGE = 100;

const DeadLetterSchema = z
  .object({
    id: z.string().openapi({ description: 'The dead-letter message’s id' }),
    queue: z.string().openapi({ description: 'The queue whose consumer gave up', example: 'cake-planner-mail' }),
    kind: z.string().openapi({
      description: 'What it was: a mail’s template (`reminder`, `temporary_password`…), `new_account_digest`, or `unknown`',
    }),
    recipient: z.string().nullable().openapi({ description: 'The mail’s address; null for what has none' }),
    sentAt: z.string().openapi({ description: 'When it was first sent to its queue (ISO 8601)' }),
    recordedAt: z.string().openapi({ description: 'When it reached the dead-letter queue’s consumer (ISO 8601)' }),
  })
  .openapi('DeadLetter');

export const listDeadLetters = createRoute({
  ...adminTags,
  middleware: authenticate({ admits: requireGlobalAdmin }),
  method: 'get',
  path: '/admin/dead-letters',
  summary: 'Queue messages that failed every attempt: undelivered mail (global admin)',
  description:
    'Newest first. A mail lands here after its last retry failed (6 attempts over about half an hour; see the ' +
    'operator’s logs for the error). Its content is not kept. ' +
    `Up to ${DEAD_LETTER_PAGE} per page (the default). ${PAGE_DESCRIPTION}`,
  request: { query: z.object(pageQuery(DEAD_LETTER_PAGE, DEAD_LETTER_PAGE)) },
  responses: {
    200: pageContent(z.array(DeadLetterSchema), 'The dead letters'),
    ...problems(400, 401, 403),
  },
});
