import { createRoute, z } from '@hono/zod-openapi';
import { bodyGuardProblem, jsonContent } from '../../lib/openapi';
import { withoutD1 } from '../../lib/openapi-bookmarks';

const ApiIndexSchema = z
  .object({
    name: z.string().openapi({ example: 'Cake Planner API' }),
    version: z.string().openapi({ example: '1.0.0' }),
    description: z.string(),
    links: z.object({
      docs: z.string().openapi({ example: '/api/docs', description: 'This document, rendered (try every endpoint there)' }),
      openapi: z.string().openapi({ example: '/api/openapi.json', description: 'The OpenAPI 3.1 document' }),
      healthcheck: z
        .string()
        .openapi({ example: '/api/system/healthcheck', description: 'Liveness of the API and its dependencies' }),
    }),
  })
  .openapi('ApiIndex');

export const getApiIndex = createRoute({
  method: 'get',
  path: '/',
  ...withoutD1,
  tags: ['System'],
  summary: 'What this is and where to start (public)',
  description:
    'A small JSON index with links to the docs page, the OpenAPI document and the healthcheck. ' +
    'A browser (an `Accept` header naming `text/html`) is redirected to the docs page instead.',
  responses: {
    200: jsonContent(ApiIndexSchema, 'The index'),
    302: {
      description: 'For browsers (`Accept: text/html`): to the docs page',
      headers: { Location: { schema: { type: 'string', example: '/api/docs' } } },
    },
    ...bodyGuardProblem,
  },
});
