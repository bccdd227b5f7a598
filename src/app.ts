/**
 * createApp(): the whole HTTP surface. Middleware order matters: request id
 * first (every response, errors included, carries it), then headers, CORS,
 * body guards, the per-request database and the one-time admin bootstrap.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { routePath } from 'hono/route';
import { secureHeaders } from 'hono/secure-headers';
import pkg from '../package.json';
import { bootstrapOnce } from './bootstrap/admin';
import { docsRouter } from './docs';
import { DOCS_CSP, DOCS_PATH } from './docs/page';
import type { HonoEnv } from './env';
import { ApiError, problemResponse, type ErrorCode } from './errors';
import { createRouter } from './lib/create-router';
import { bodyGuardProblem } from './lib/openapi';
import { withBookmarks, withPublicOperations } from './lib/openapi-bookmarks';
import { bodyGuard, database } from './lib/middleware';
import { adminRouter } from './routes/admin';
import { authRouter } from './routes/auth';
import { calendarRouter } from './routes/calendar';
import { eventsRouter } from './routes/events';
import { homeRouter } from './routes/home';
import { photosRouter } from './routes/photos';
import { streamRouter } from './routes/stream';
import { systemRouter } from './routes/system';
import { userRouter } from './routes/user';
import { logError } from './lib/log';

export function createApp() {
  const app = createRouter();

  app.use(requestId({ headerName: 'X-Request-Id' }));
  // JSON and images need no active content; the docs page loads its renderer from this Worker only.
  const apiHeaders = secureHeaders({
    contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    crossOriginResourcePolicy: 'cross-origin',
  });
  const docsHeaders = secureHeaders({ contentSecurityPolicy: DOCS_CSP });
  const isDocs = (path: string) => path === DOCS_PATH || path.startsWith(`${DOCS_PATH}/`);
  app.use('*', (c, next) => (isDocs(c.req.path) ? docsHeaders : apiHeaders)(c, next));
  // Built once per CORS_ORIGINS value, not on every request.
  let corsCache: { origins: string; handler: MiddlewareHandler } | undefined;
  app.use('*', (c, next) => {
    const origins = c.env.CORS_ORIGINS ?? '';
    if (corsCache?.origins !== origins) corsCache = { origins, handler: corsFor(origins) };
    return corsCache.handler(c, next);
  });
  app.use('*', bodyGuard);
  app.use('*', database);
  app.use('*', bootstrapOnce);

  // The stream router precedes the events router: /events/stream is not /events/{id}.
  const routers = [systemRouter, authRouter, userRouter, adminRouter, streamRouter, eventsRouter, photosRouter, calendarRouter];
  for (const router of routers) app.route('/api', router);
  app.route('/', homeRouter);
  app.route('/', docsRouter);

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  // The two documentation routes are plain Hono routes: described here.
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/api/openapi.json',
    operationId: 'getOpenApiDocument',
    tags: ['System'],
    summary: 'This OpenAPI 3.1 document',
    security: [],
    responses: {
      200: { description: 'The document', content: { 'application/json': { schema: { type: 'object' } } } },
      ...bodyGuardProblem,
    },
  });
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/api/docs',
    operationId: 'getDocsPage',
    tags: ['System'],
    summary: 'The interactive API documentation (served with its assets by this Worker)',
    security: [],
    responses: {
      200: { description: 'The docs page', content: { 'text/html': { schema: { type: 'string' } } } },
      ...bodyGuardProblem,
    },
  });
  const document = () => ({
    openapi: '3.1.0' as const,
    info: {
      title: 'Cake Planner API',
      version: pkg.version,
      description:
        'Plan who brings the cake, rate it afterwards, keep a Hall of Fame. ' +
        'Errors are RFC 9457 problem details (application/problem+json) with a stable `code`.\n\n' +
        'On the docs page: sign in with **POST /api/auth/login** ("Try it out"); the returned token then ' +
        'authorizes every other call (or paste a token into **Authorize**).',
      // A private project: no licence is granted (package.json: UNLICENSED). SPDX has no identifier
      // for that; `LicenseRef-` names a licence of one's own, here these terms (README, "Licence").
      license: { name: 'Proprietary (UNLICENSED): all rights reserved', identifier: 'LicenseRef-Proprietary' },
    },
    // Relative: the API is wherever this document was fetched from.
    servers: [{ url: '/', description: 'This Worker' }],
  });
  // Built from the routes, then every D1-touching operation gets the bookmark parameter and header.
  app.get('/api/openapi.json', (c) => c.json(withPublicOperations(withBookmarks(app.getOpenAPI31Document(document())))));

  const allowedMethods = methodIndex(app.routes);
  app.notFound((c) => {
    const methods = allowedMethods(c.req.path);
    if (methods.length > 0) {
      return problemResponse(
        c,
        new ApiError('method_not_allowed', `${c.req.method} is not allowed here.`, {
          headers: { Allow: methods.join(', ') },
        }),
      );
    }
    return problemResponse(c, new ApiError('not_found', `No route for ${c.req.method} ${c.req.path}.`));
  });
  app.onError((error, c) => problemResponse(c, toApiError(error, c)));

  return app;
}

function corsFor(origins: string): MiddlewareHandler {
  const allowed = origins
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  return cors({
    origin: (origin) => (allowed.includes(origin) ? origin : null),
    allowHeaders: ['Authorization', 'Content-Type', 'Last-Event-ID', 'X-D1-Bookmark'],
    allowMethods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
    exposeHeaders: ['X-Request-Id', 'Retry-After', 'ETag', 'Link', 'X-D1-Bookmark'],
    maxAge: 600,
  });
}

/** The generic code of each status an HTTPException from Hono's own middleware may carry. */
const CODE_OF_STATUS: Partial<Record<number, ErrorCode>> = {
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

function toApiError(error: unknown, c: Context): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof HTTPException && error.status < 500) {
    if (error.status === 400 && /json/i.test(error.message)) return new ApiError('malformed_json', error.message);
    const code = CODE_OF_STATUS[error.status];
    return code ? new ApiError(code) : new ApiError('bad_request', error.message);
  }
  // Unexpected: log for operators, never show the client a stack or SQL.
  logError(`${c.req.method} ${routePath(c)} failed`, error, c.get('requestId'));
  return new ApiError('internal_error', 'Something went wrong on our side.');
}

/** For 405: which methods a path would answer to. */
function methodIndex(routes: { method: string; path: string }[]) {
  let compiled: { method: string; pattern: RegExp }[] | undefined;
  return (path: string): string[] => {
    compiled ??= routes
      .filter((r) => r.method !== 'ALL' && !r.path.includes('*'))
      .map((r) => ({
        method: r.method,
        pattern: new RegExp(
          '^' + r.path.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\\\{(\w+)\\\}|:(\w+)(\\\{[^}]*\\\})?/g, '[^/]+') + '/?$',
        ),
      }));
    return [...new Set(compiled.filter((r) => r.pattern.test(path)).map((r) => r.method))];
  };
}
