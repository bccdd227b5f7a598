import { createRoute, z } from '@hono/zod-openapi';
import { problems } from '../../lib/openapi';

/**
 * Documented here, served by a plain Hono route: the object key spans several
 * path segments, which an OpenAPI path parameter cannot express.
 */
export const getPhoto = createRoute({
  method: 'get',
  path: '/photos/{expiry}/{signature}/{objectPath}',
  tags: ['Photos'],
  summary: 'A photo by its signed path (public, for <img src>)',
  description:
    '`objectPath` is the object key (`events/<eventId>/<random>.<ext>`, several segments) or a responsive variant ' +
    '`events/<eventId>/<random>__480.webp` (also 800 and 1280) under the same signature: a resized WebP where the ' +
    'Worker can make one, else the original image. The HMAC covers the expiry and the key without extension; the ' +
    'expiry is a day boundary, so a URL stays stable for a day. Tampered or expired → 403, unknown → 404. ' +
    'Supports ETag / If-None-Match.',
  request: {
    params: z.object({
      expiry: z.string().openapi({ description: 'Unix seconds' }),
      signature: z.string(),
      objectPath: z.string(),
    }),
  },
  responses: {
    200: { description: 'The image', content: { 'image/*': { schema: z.string().openapi({ format: 'binary' }) } } },
    304: { description: 'Not modified' },
    ...problems(403, 404),
  },
});
