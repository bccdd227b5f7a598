/** Shared OpenAPI pieces: problem responses, JSON bodies, security. */
import { z } from '@hono/zod-openapi';
import { ERROR_CODES, type ErrorCode } from '../errors';

const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]),
    requestId: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ProblemSchema } },
});

/** The error responses a route can give, documented by status. */
export const problems = (...statuses: (400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 503)[]) => {
  const text: Record<number, string> = {
    400: 'Malformed or invalid input',
    401: 'Missing, invalid, expired or revoked token; or wrong credentials',
    403: 'Authenticated but not allowed (`forbidden`, `account_inactive`, `password_change_required`, or `reauthentication_required`: sign in again or send the current password)',
    404: 'Does not exist or is not visible to the caller',
    409: 'Conflicts with the current state',
    413: 'Body or file too large',
    415: 'Unsupported media type',
    429: 'Throttled; see Retry-After',
    503: 'A dependency is down',
  };
  return Object.fromEntries(
    statuses.map((s) => [
      s,
      s === 429
        ? {
            ...problem(text[s]!),
            headers: {
              'Retry-After': {
                description: 'Seconds to wait before trying again',
                schema: { type: 'integer' as const, minimum: 1 },
              },
            },
          }
        : problem(text[s]!),
    ]),
  );
};

/**
 * The 413 any route can give, whatever it does: the body guard
 * (src/lib/middleware.ts) runs before every route and refuses a body above
 * 64 KiB (10 MB multipart), on a GET too (an HTTP client can send a GET with
 * a body).
 */
export const bodyGuardProblem = {
  413: problem('Request body too large: the body guard runs before every route, GET included (above 64 KiB, 10 MB multipart)'),
};

type GuardedRoute = { method: string; request?: { query?: unknown; params?: unknown; body?: unknown }; responses: object };

/**
 * The statuses the shared guards can answer on a route, whatever its handler
 * does: the body guard's 413 on every route and its 415 on every method but
 * GET and HEAD (a body of another type, also on a route that reads none);
 * 400 where a query or body is validated (src/lib/create-router.ts); 404
 * where a path parameter is, since one that fails its schema names nothing.
 */
function guardStatuses(route: Omit<GuardedRoute, 'responses'>): number[] {
  const statuses = [413];
  if (!['get', 'head'].includes(route.method.toLowerCase())) statuses.push(415);
  if (route.request?.query || route.request?.body) statuses.push(400);
  if (route.request?.params) statuses.push(404);
  return statuses;
}

/** `route` with the guards' statuses it does not declare yet, so the document lists every status an operation can answer. */
export function withGuardResponses<R extends GuardedRoute>(route: R): R {
  const declared = route.responses as Record<string, unknown>;
  const missing = guardStatuses(route).filter((status) => !(status in declared));
  const added = missing.map((status) => (status === 413 ? bodyGuardProblem : problems(status as 400 | 404 | 415)));
  return missing.length === 0 ? route : { ...route, responses: Object.assign({}, declared, ...added) };
}

export const jsonContent = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

/** A list's page: the body a plain array, the next page (if any) in the Link header. */
export const pageContent = <T extends z.ZodType>(schema: T, description: string) => ({
  ...jsonContent(schema, description),
  headers: {
    Link: {
      description: 'The next page, when there is one: `<https://…?…&cursor=…>; rel="next"` (RFC 8288). Absent on the last page.',
      schema: { type: 'string' as const },
    },
  },
});

export const jsonBody = <T extends z.ZodType>(schema: T, description?: string) => ({
  required: true,
  description,
  content: { 'application/json': { schema } },
});

export const bearerAuth = [{ bearerAuth: [] }];

export const MessageSchema = z.object({ message: z.string() }).openapi('Message');

/** An instant in UTC, as the API writes them all (`2026-11-26T10:00:00.000Z`). */
export const Timestamp = z.string().openapi({ format: 'date-time', example: '2026-11-26T10:00:00.000Z' });

/** A session token and when it expires (login, change-password, 2FA activation). */
export const SessionSchema = z.object({ token: z.string(), expiresAt: Timestamp }).openapi('FreshToken');

/** A path segment that names something (an id, a signature): 1–64 characters. */
export const pathParam = (name: string, description?: string) =>
  z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name, in: 'path' }, description });

export const IdParam = z.object({ id: pathParam('id') });
