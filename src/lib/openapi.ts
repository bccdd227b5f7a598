/** Shared OpenAPI pieces: problem responses, JSON bodies, security. */
import { z } from '@hono/zod-openapi';
import { ERROR_CODES, type ErrorCode } from '../errors';

export const ProblemSchema = z
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
              'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer' as const, minimum: 1 } },
            },
          }
        : problem(text[s]!),
    ]),
  );
};

/**
 * The 4xx any route can give, whatever it does: the body guard
 * (src/lib/middleware.ts) runs before every route and refuses a body above
 * 64 KiB (10 MB multipart), on a GET too (an HTTP client can send a GET with
 * a body). Declared on the operations that answer no other 4xx.
 */
export const bodyGuardProblem = {
  413: problem('Request body too large: the body guard runs before every route, GET included (above 64 KiB, 10 MB multipart)'),
};

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

export const IdParam = z.object({
  id: z.string().min(1).max(64).openapi({ param: { name: 'id', in: 'path' } }),
});
