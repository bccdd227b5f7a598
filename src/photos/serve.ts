/**
 * Serving signed photo paths, originals and the responsive WebP variants the
 * frontend derives by replacing the extension (`<stem>__480.webp`). Variants
 * are resized by the optional Cloudflare Images binding; without it (or when
 * it cannot decode the image) the original bytes are served, because a
 * variant that answers 404 hides the image in the frontend.
 */
import type { Bindings } from '../env';
import { ApiError } from '../errors';
import { ifNoneMatchIncludes } from '../lib/etag';
import { logError } from '../lib/log';
import { checkPhotoSignature } from './signing';

interface PhotoRequest {
  stem: string;
  /** The R2 key of the original, for the original and its variants alike. */
  key: string;
  width: number | null;
}

/**
 * `<stem>.<ext>` or `<stem>__<width>.webp`, where the stem ends in
 * `<22 random characters>-<ext>` (see photoKey): the random part's fixed
 * length keeps `__480` out of it, and the type in the stem gives the
 * original's key for a variant.
 */
const PATH = /^(events\/[A-Za-z0-9-]{1,64}\/[A-Za-z0-9_-]{22}-(jpg|png|gif|webp|heic|avif))(?:\.(\2)|__(480|800|1280)\.webp)$/;

function parsePhotoPath(path: string): PhotoRequest | null {
  const match = PATH.exec(path);
  if (!match) return null;
  const [, stem, ext, , width] = match;
  return { stem: stem!, key: `${stem}.${ext}`, width: width ? Number(width) : null };
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
    if (value?.endsWith(suffix)) return suffix ? value.slice(0, -suffix.length) : value;
  }
  return null;
}

async function resized(env: Bindings, object: R2ObjectBody, width: number): Promise<Response | null> {
  if (!env.IMAGES) return null;
  try {
    const result = await env.IMAGES.input(object.body).transform({ width, fit: 'scale-down' }).output({ format: 'image/webp' });
    return result.response();
  } catch (error) {
    logError('photo variant failed; serving the original', error);
    return null;
  }
}

/**
 * The location's edge cache holds each signed photo response (original or
 * variant) under its signed URL for the URL's remaining life, so a repeat
 * request there reads no photo from R2 and resizes nothing. A photo is the
 * same for whoever holds the URL: nothing per caller is cached.
 *
 * A deleted photo must not stay reachable through a cached copy. Purging on
 * deletion cannot promise that: `caches.default` is per location, and a
 * delete reaches only the cache of the location that runs it, while copies
 * sit in every location that served the URL, under each day's signed URL
 * and each variant. So a hit is answered only while the original is still
 * in R2: one `head` (metadata, no body, no D1), and a hit for a deleted
 * photo is dropped from this location's cache.
 */
export interface EdgeCache {
  /** The signed URL without query: the cache key. */
  url: string;
  waitUntil(promise: Promise<unknown>): void;
}

async function fromCache(
  env: Bindings,
  key: string,
  cache: EdgeCache,
  expiry: number,
  ifNoneMatch: string | null,
): Promise<Response | null> {
  const hit = await caches.default.match(cache.url);
  if (!hit) return null;
  if (!(await env.PHOTOS.head(key))) {
    cache.waitUntil(caches.default.delete(cache.url).catch((error) => logError('photo cache delete failed', error)));
    throw new ApiError('not_found', 'No such photo.');
  }
  const etag = hit.headers.get('ETag') ?? '';
  const headers = cacheHeaders(expiry, unquote(etag));
  if (ifNoneMatchIncludes(ifNoneMatch, etag)) return new Response(null, { status: 304, headers });
  const contentType = hit.headers.get('Content-Type') ?? 'application/octet-stream';
  return new Response(hit.body, { headers: { ...headers, 'Content-Type': contentType } });
}

/** Stores a copy (shared caching allowed for the URL's life) and returns the response to send. */
function keep(cache: EdgeCache | undefined, expiry: number, response: Response): Response {
  if (!cache || !response.ok) return response;
  const [mine, stored] = response.body ? response.body.tee() : [null, null];
  const copy = new Response(stored, { headers: response.headers });
  copy.headers.set('Cache-Control', `public, max-age=${Math.max(0, expiry - Math.floor(Date.now() / 1000))}`);
  cache.waitUntil(caches.default.put(cache.url, copy).catch((error) => logError('photo cache put failed', error)));
  return new Response(mine, { status: response.status, headers: response.headers });
}

export async function servePhoto(
  env: Bindings,
  params: { expiry: string; signature: string; path: string },
  ifNoneMatch: string | null,
  cache?: EdgeCache,
): Promise<Response> {
  const request = parsePhotoPath(params.path);
  if (!request) throw new ApiError('not_found', 'No such photo.');
  const check = await checkPhotoSignature(env, params.expiry, params.signature, request.stem);
  if (check === 'invalid') throw new ApiError('forbidden', 'Invalid photo signature.');
  if (check === 'expired') throw new ApiError('forbidden', 'This photo link has expired.');
  const expiry = Number(params.expiry);
  const { key } = request;
  const cached = cache ? await fromCache(env, key, cache, expiry, ifNoneMatch) : null;
  if (cached) return cached;

  const known = knownEtag(ifNoneMatch, request.width);
  // One R2 call: the conditional get returns no body when the client's copy is current.
  const object = await env.PHOTOS.get(key, known ? { onlyIf: { etagDoesNotMatch: known } } : {});
  if (!object) throw new ApiError('not_found', 'No such photo.');
  const headers = cacheHeaders(Number(params.expiry), unquote(object.httpEtag) + variantSuffix(request.width));
  if (!('body' in object)) return new Response(null, { status: 304, headers });

  const contentType = object.httpMetadata?.contentType ?? 'application/octet-stream';
  if (request.width) {
    const variant = await resized(env, object, request.width);
    if (variant?.ok && variant.body) {
      return keep(cache, expiry, new Response(variant.body, { headers: { ...headers, 'Content-Type': 'image/webp' } }));
    }
    // The Images binding consumed the stream: read the original again.
    const original = env.IMAGES ? await env.PHOTOS.get(key) : object;
    if (!original) throw new ApiError('not_found', 'No such photo.');
    return keep(cache, expiry, new Response(original.body, { headers: { ...headers, 'Content-Type': contentType } }));
  }
  return keep(
    cache,
    expiry,
    new Response(object.body, { headers: { ...headers, 'Content-Type': contentType, 'Content-Length': String(object.size) } }),
  );
}
