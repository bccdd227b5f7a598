import { afterResponse } from '../../lib/after-response';
import type { AppRouteHandler } from '../../lib/create-router';
import { servePhoto } from '../../photos/serve';
import type * as routes from './photos.routes';

export const getPhoto: AppRouteHandler<typeof routes.getPhoto> = (c) => {
  const { expiry, signature, eventId, file } = c.req.valid('param');
  const url = new URL(c.req.url);
  return servePhoto(
    c.env,
    {
      expiry,
      signature,
      path: `events/${eventId}/${file}`,
    },
    c.req.header('If-None-Match') ?? null,
    { url: url.origin + url.pathname, waitUntil: (p) => afterResponse(c, p) },
  );
};
