import type { Handler } from 'hono';
import type { HonoEnv } from '../../env';
import { servePhoto } from '../../photos/serve';

export const getSignedPhoto: Handler<HonoEnv> = (c) => {
  const url = new URL(c.req.url);
  return servePhoto(
    c.env,
    { expiry: c.req.param('expiry')!, signature: c.req.param('signature')!, path: c.req.param('objectPath')! },
    c.req.header('If-None-Match') ?? null,
    { url: url.origin + url.pathname, waitUntil: (p) => c.executionCtx.waitUntil(p) },
  );
};
