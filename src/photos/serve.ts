/**
 * Serving signed photo paths, originals and the responsive WebP variants the
 * frontend derives by replacing the extension (`<stem>__480.webp`). Variants
 * are resized by the optional Cloudflare Images binding; without it (or when
 * it cannot decode the image) the original bytes are served, because a
 * variant that answers 404 hides the image in the frontend.
 */
import type { Bindings } from '../env';
import { ApiError } from '../errors';
import { checkPhotoSignature } from './signing';

export const VARIANT_WIDTHS = [480, 800, 1280] as const;

export interface PhotoRequest {
  stem: string;
  /** Known when the path names the original (`<stem>.<ext>`). */
  key: string | null;
  width: number | null;
}

/** The random part of a key is exactly 22 characters (see photoKey), so a `__480` suffix is never part of it. */
const PATH = /^(events\/[A-Za-z0-9-]{1,64}\/[A-Za-z0-9_-]{22})(\.[a-z0-9]{2,5})?(?:__(480|800|1280)\.webp)?$/;

export function parsePhotoPath(path: string): PhotoRequest | null {
  const match = PATH.exec(path);
  if (!match) return null;
  const [, stem, ext, width] = match;
  if (!ext && !width) return null;
  return { stem: stem!, key: ext ? `${stem}${ext}` : null, width: width ? Number(width) : null };
}

async function findObjectKey(bucket: R2Bucket, request: PhotoRequest): Promise<string | null> {
  if (request.key) return request.key;
  const listed = await bucket.list({ prefix: `${request.stem}.`, limit: 1 });
  return listed.objects[0]?.key ?? null;
}

const unquote = (etag: string) => etag.replace(/^W\//, '').replace(/^"|"$/g, '');

function cacheHeaders(expiry: number, etag: string): Record<string, string> {
  const maxAge = Math.max(0, expiry - Math.floor(Date.now() / 1000));
  return {
    ETag: `"${etag}"`,
    'Cache-Control': `private, max-age=${maxAge}, immutable`,
    'X-Content-Type-Options': 'nosniff',
  };
}

const variantSuffix = (width: number | null) => (width ? `-w${width}` : '');

/** The object ETag a client's If-None-Match names for this original or variant, if any. */
function knownEtag(ifNoneMatch: string | null, width: number | null): string | null {
  const suffix = variantSuffix(width);
  for (const tag of (ifNoneMatch ?? '').split(',')) {
    const value = unquote(tag.trim());
    if (value && value.endsWith(suffix)) return suffix ? value.slice(0, -suffix.length) : value;
  }
  return null;
}

async function resized(env: Bindings, object: R2ObjectBody, width: number): Promise<Response | null> {
  if (!env.IMAGES) return null;
  try {
    const result = await env.IMAGES.input(object.body).transform({ width, fit: 'scale-down' }).output({ format: 'image/webp' });
    return result.response();
  } catch (error) {
    console.error('photo variant failed; serving the original', error);
    return null;
  }
}

export async function servePhoto(
  env: Bindings,
  params: { expiry: string; signature: string; path: string },
  ifNoneMatch: string | null,
): Promise<Response> {
  const request = parsePhotoPath(params.path);
  if (!request) throw new ApiError('not_found', 'No such photo.');
  const check = await checkPhotoSignature(env, params.expiry, params.signature, request.stem);
  if (check === 'invalid') throw new ApiError('forbidden', 'Invalid photo signature.');
  if (check === 'expired') throw new ApiError('forbidden', 'This photo link has expired.');

  const key = await findObjectKey(env.PHOTOS, request);
  const known = knownEtag(ifNoneMatch, request.width);
  // One R2 call: the conditional get returns no body when the client's copy is current.
  const object = key ? await env.PHOTOS.get(key, known ? { onlyIf: { etagDoesNotMatch: known } } : {}) : null;
  if (!key || !object) throw new ApiError('not_found', 'No such photo.');
  const headers = cacheHeaders(Number(params.expiry), unquote(object.httpEtag) + variantSuffix(request.width));
  if (!('body' in object)) return new Response(null, { status: 304, headers });

  const contentType = object.httpMetadata?.contentType ?? 'application/octet-stream';
  if (request.width) {
    const variant = await resized(env, object, request.width);
    if (variant?.ok && variant.body) {
      return new Response(variant.body, { headers: { ...headers, 'Content-Type': 'image/webp' } });
    }
    // The Images binding consumed the stream: read the original again.
    const original = env.IMAGES ? await env.PHOTOS.get(key) : object;
    if (!original) throw new ApiError('not_found', 'No such photo.');
    return new Response(original.body, { headers: { ...headers, 'Content-Type': contentType } });
  }
  return new Response(object.body, {
    headers: { ...headers, 'Content-Type': contentType, 'Content-Length': String(object.size) },
  });
}
