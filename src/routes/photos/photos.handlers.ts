import type { Handler } from 'hono';
import type { HonoEnv } from '../../env';
import { servePhoto } from '../../photos/serve';

export const getSignedPhoto: Handler<HonoEnv> = (c) =>
  servePhoto(
    c.env,
    { expiry: c.req.param('expiry')!, signature: c.req.param('signature')!, path: c.req.param('objectPath')! },
    c.req.header('If-None-Match') ?? null,
  );
