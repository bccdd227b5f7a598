import { createRoute, z } from '@hono/zod-openapi';
import { authenticate } from '../../auth/authenticate';
import { bearerAuth, bodyGuardProblem, jsonContent, problems } from '../../lib/openapi';
import { withoutD1 } from '../../lib/openapi-bookmarks';

const CheckSchema = z.enum(['ok', 'fail']);

const HealthSchema = z
  .object({
    status: z.enum(['ok', 'fail']),
    checks: z.object({
      d1: CheckSchema,
      r2: CheckSchema,
      /** Every queue producer of wrangler.toml is bound (a queue is not probed: that would send). */
      queues: CheckSchema,
    }),
    version: z.string(),
  })
  .openapi('Health');

export const healthcheck = createRoute({
  method: 'get',
  path: '/system/healthcheck',
  tags: ['System'],
  summary: 'Liveness of the API and its dependencies (public)',
  responses: {
    200: jsonContent(HealthSchema, 'D1 and R2 answer, the queues are bound'),
    503: jsonContent(HealthSchema, 'A dependency is down; the failing check says which'),
    ...bodyGuardProblem,
  },
});

export const ping = createRoute({
  method: 'get',
  path: '/system/ping',
  ...withoutD1,
  tags: ['System'],
  summary: 'Answers without touching any dependency (public; the benchmark baseline)',
  responses: { 200: jsonContent(z.object({ pong: z.literal(true) }).openapi('Pong'), 'Alive'), ...bodyGuardProblem },
});

const SysinfoSchema = z
  .object({
    project_name: z.string(),
    prog_longname: z.string(),
    description: z.string(),
    version: z.string(),
    homepage: z.string(),
    author: z.string(),
    license: z.string(),
    created_year: z.string(),
    organization: z.string(),
    domain: z.string(),
    runtime: z.string(),
    compatibility_date: z.string(),
    commit: z.string(),
    build_date: z.string(),
  })
  .openapi('Sysinfo');

export const sysinfo = createRoute({
  method: 'get',
  path: '/system/sysinfo',
  tags: ['System'],
  summary: 'Build and runtime facts (the admin panel shows them)',
  security: bearerAuth,
  middleware: authenticate({ upfront: true }),
  responses: {
    200: jsonContent(SysinfoSchema, 'Build and runtime facts'),
    ...problems(401, 403),
  },
});
