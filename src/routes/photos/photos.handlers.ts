import type { Handler } from 'hono';
import type { HonoEnv } from '../../env';
import { servePhoto } from '../../photos/serve';

export const getSignedPhoto: Handler<HonoEnv> = (c) => {
  const url = new URL(c.req.url);
  return servePhoto(
    c.env,
    {
      expiry: c.req.param('expiry')!,
      signature: c.req.param('signature')!,
      path: `events/${c.req.param('eventId')}/${c.req.param('file')}`,
    },
    c.req.header('If-None-Match') ?? null,
    { url: url.origin + url.pathname, waitUntil: (p) => c.executionCtx.waitUntil(p) },
  );
};
