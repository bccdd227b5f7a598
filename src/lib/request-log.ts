/**
 * One log line per request, written when its response is ready (for a live
 * stream: when the stream opens):
 *
 *   {"level":"info","msg":"request","requestId":"…","method":"GET",
 *    "route":"/api/events/:id","status":200,"durationMs":12,"trips":1,
 *    "rowsRead":3,"user":"5f0c…"}
 *
 * `route` is the route template, never the path (ids, feed tokens and
 * photo signatures are in paths). `trips` and `rowsRead` are the D1 counts
 * the database middleware keeps anyway (src/db/timing.ts). `user` is a
 * keyed hash of the signed-in user's id (16 hex digits, under a key derived
 * from JWT_SECRET): the same user's requests can be followed, the id cannot
 * be read back. A 5xx is logged at `error`, with the error's class.
 */
import { createMiddleware } from 'hono/factory';
import { routePath } from 'hono/route';
import type { HonoEnv } from '../env';
import { keyedHash } from './keys';
import { errorClass, log } from './log';

export interface RequestLogFields {
  /** The id of the session's user, set by authenticate(). */
  userId?: string;
}

export const requestLog = createMiddleware<HonoEnv>(async (c, next) => {
  const started = performance.now();
  const fields: RequestLogFields = {};
  c.set('logFields', fields);
  await next();
  const status = c.res.status;
  const cost = c.var.d1Cost;
  log(status >= 500 ? 'error' : 'info', 'request', {
    requestId: c.var.requestId,
    method: c.req.method,
    route: routePath(c),
    status,
    durationMs: Math.round(performance.now() - started),
    trips: cost?.trips ?? 0,
    rowsRead: cost?.rowsRead ?? 0,
    user:
      fields.userId && c.env.JWT_SECRET ? (await keyedHash(c.env.JWT_SECRET, 'log-user', fields.userId)).slice(0, 16) : undefined,
    errorClass: status >= 500 && c.error ? errorClass(c.error) : undefined,
  });
});
