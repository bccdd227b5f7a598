import { createRoute, z } from '@hono/zod-openapi';
import { problems } from '../../lib/openapi';
import { withoutD1 } from '../../lib/openapi-bookmarks';

/**
 * The signed path of a photo, one segment per parameter: the object key
 * (`events/<eventId>/<file>`, src/photos/upload.ts) is spelled out in the
 * template, so a router or generated client can build and match the URLs
 * the API hands out (src/photos/signing.ts), variants included.
 */
export const getPhoto = createRoute({
  method: 'get',
  path: '/photos/{expiry}/{signature}/events/{eventId}/{file}',
  ...withoutD1,
  tags: ['Photos'],
  summary: 'A photo by its signed path (public, for <img src>)',
  description:
    'The path as `photoUrl` and gallery `url` give it: the object key is `events/{eventId}/{file}`. `file` is the ' +
    'original (`<random>-<ext>.<ext>`) or a responsive variant of it, `<random>-<ext>__480.webp` (also 800 and 1280), ' +
    'under the same signature: a resized WebP where the Worker can make one, else the original image. The HMAC ' +
    'covers the expiry and the key without extension; the expiry is a day boundary, so a URL stays stable for a day. ' +
    'Tampered or expired → 403, unknown or deleted → 404 (a deleted photo is 404 at once, edge-cached copies included). ' +
    'Supports ETag / If-None-Match.',
  request: {
    params: z.object({
      expiry: z.string().openapi({ description: 'Unix seconds', example: '1796256000' }),
      signature: z.string().openapi({ description: 'HMAC-SHA256 of expiry and key stem, base64url' }),
      eventId: z.string().openapi({ description: 'The event the photo belongs to' }),
      file: z.string().openapi({
        description: 'The original or a variant (`__480.webp`, `__800.webp`, `__1280.webp`)',
        example: 'q2Hc7Lm0Xv9Tb4Rw1Ks8Ua-jpg.jpg',
      }),
    }),
  },
  responses: {
    200: { description: 'The image', content: { 'image/*': { schema: z.string().openapi({ format: 'binary' }) } } },
    304: { description: 'Not modified' },
    ...problems(403, 404),
  },
});
