/** CORS for the origins in CORS_ORIGINS (comma-separated); none by default. */
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { HonoEnv } from '../env';

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

// Built once per CORS_ORIGINS value, not on every request.
let built: { origins: string; handler: MiddlewareHandler } | undefined;

export const corsForOrigins: MiddlewareHandler<HonoEnv> = (c, next) => {
  const origins = c.env.CORS_ORIGINS ?? '';
  if (built?.origins !== origins) built = { origins, handler: corsFor(origins) };
  return built.handler(c, next);
};
