/** Small request-level guards of the app factory. */
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { createDb } from '../db/client';
import { handBackBookmark, openSession } from '../db/session';
import { StatementGate } from '../db/statement-gate';
import { measuredD1, serverTiming } from '../db/timing';
import type { HonoEnv } from '../env';
import { ApiError } from '../errors';
import { readTextStrictly } from './utf8-body';

const MAX_JSON_BYTES = 64 * 1024;
/** A 10 MB photo plus the multipart framing and the `event` field. */
const MAX_MULTIPART_BYTES = 10 * 1024 * 1024 + 64 * 1024;

const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;

function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

function hasBody(headers: Headers): boolean {
  const length = headers.get('content-length');
  return (length !== null && length !== '0') || headers.has('transfer-encoding');
}

/** 415 for a body that is neither JSON nor multipart; 413 above the size limit; a JSON body is read as strict UTF-8. */
export const bodyGuard: MiddlewareHandler<HonoEnv> = async (c, next) => {
  if (!hasBody(c.req.raw.headers) && c.req.raw.body === null) return next();
  const type = mediaType(c.req.header('content-type'));
  const multipart = type === 'multipart/form-data';
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && !multipart && !JSON_TYPE.test(type)) {
    if (hasBody(c.req.raw.headers)) {
      throw new ApiError('unsupported_media_type', 'Send JSON (application/json) or multipart/form-data.');
    }
  }
  return bodyLimit({
    maxSize: multipart ? MAX_MULTIPART_BYTES : MAX_JSON_BYTES,
    onError: () => {
      throw new ApiError('payload_too_large', `The body exceeds ${multipart ? '10 MB' : '64 KiB'}.`);
    },
  })(c, () => {
    if (JSON_TYPE.test(type)) readTextStrictly(c);
    return next();
  });
};

/**
 * A raw path with an empty segment (`//`, a trailing `/`) or a dot segment
 * (`.`, `..`, also as `%2e`) names no route: 404 before routing. Without it,
 * `DELETE …/groups/{id}/members/..` reached the group's own DELETE, since the
 * URL parser resolves the dots (to `…/groups/{id}/`) and the router then
 * ignores the trailing slash. The runtime has resolved dot segments before a
 * Worker sees the URL, so in practice the slash they leave is what is caught;
 * the dot check covers a URL handed in unresolved. `/` itself is the home.
 */
const STRAY_SEGMENT = /\/\/|.\/$|\/(\.|%2e){1,2}(\/|$)/i;

export const pathGuard: MiddlewareHandler<HonoEnv> = async (c, next) => {
  const url = c.req.raw.url;
  const path = url.slice(url.indexOf('/', url.indexOf('//') + 2)).split(/[?#]/)[0]!;
  if (STRAY_SEGMENT.test(path)) throw new ApiError('not_found', `No route for ${c.req.method} ${path}.`);
  return next();
};

/**
 * A drizzle client per request on the request's D1 session (primary or
 * nearest replica, see src/db/session.ts), read from `c.var.db`; tests can
 * swap the binding. Its statements pass the request's StatementGate
 * (src/db/statement-gate.ts) and are counted (`c.var.d1Cost`: trips, rows
 * read, for the request's log line). After the handler, the session's
 * bookmark goes back to the client (and the D1 cost, with SERVER_TIMING=on).
 */
export const database = createMiddleware<HonoEnv>(async (c, next) => {
  const session = openSession(c);
  const measured = measuredD1(session.db);
  c.set('d1Session', session);
  c.set('d1Cost', measured.cost);
  const gate = new StatementGate();
  c.set('statementGate', gate);
  c.set('db', createDb(gate.guard(measured.db)));
  await next();
  handBackBookmark(c, session);
  if ((c.env.SERVER_TIMING as string) === 'on' && measured.cost.trips > 0) {
    c.res.headers.append('Server-Timing', serverTiming(measured.cost));
  }
});
