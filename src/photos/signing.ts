/**
 * Signed photo paths: `/api/photos/<expiry>/<signature>/<object-key>`. Keys
 * are `events/<eventId>/<file>` (photoKey), so every path fits the route's
 * template `/api/photos/{expiry}/{signature}/events/{eventId}/{file}`.
 * The HMAC covers the expiry and the key without its extension, so the
 * frontend's responsive variants (`<stem>__480.webp`, ...) carry the same
 * signature. The expiry is rounded up to a day boundary plus one day: a URL
 * stays identical (and cacheable) for a whole day, and lives one to two days.
 */
import type { Bindings } from '../env';
import { fromBase64Url, timingSafeEqual, toBase64Url } from '../lib/encoding';
import { hmac } from '../lib/hmac';
import { SizedMemo, stringBytes } from '../lib/sized-memo';

const DAY_SECONDS = 86_400;
const PHOTO_PATH_PREFIX = '/api/photos';

/** `events/<id>/<random>.<ext>` → `events/<id>/<random>` */
const keyStem = (key: string) => key.replace(/\.[a-z0-9]+$/i, '');

const signature = (env: Bindings, expiry: number, stem: string) => hmac(env.PHOTO_SIGNING_KEY, `${expiry}/${stem}`);

function photoExpiry(now = Date.now()): number {
  return (Math.floor(now / 1000 / DAY_SECONDS) + 2) * DAY_SECONDS;
}

/**
 * Signed paths already made in this isolate: a path is the same all day, and
 * a list shows the same photos to every member, so most are signed once.
 * Keyed by secret too (a rotated key signs anew). Bounded by bytes, keys
 * included: 4 MB holds some 8,000 paths.
 */
const SIGNED_PATHS_BYTES = 4 * 1024 * 1024;
const signedPaths = new SizedMemo<string>(SIGNED_PATHS_BYTES, stringBytes);

/** The only way a photo URL is made. */
export async function signPhotoPath(env: Bindings, key: string, now = Date.now()): Promise<string> {
  const expiry = photoExpiry(now);
  const cacheKey = `${env.PHOTO_SIGNING_KEY}\u0000${expiry}\u0000${key}`;
  const known = signedPaths.get(cacheKey);
  if (known) return known;
  const sig = toBase64Url(await signature(env, expiry, keyStem(key)));
  const path = `${PHOTO_PATH_PREFIX}/${expiry}/${sig}/${key}`;
  signedPaths.set(cacheKey, path);
  return path;
}

export type SignatureCheck = 'valid' | 'invalid' | 'expired';

export async function checkPhotoSignature(
  env: Bindings,
  expiry: string,
  sig: string,
  stem: string,
  now = Date.now(),
): Promise<SignatureCheck> {
  if (!/^\d{1,12}$/.test(expiry) || !/^[A-Za-z0-9_-]{43}$/.test(sig)) return 'invalid';
  const expected = await signature(env, Number(expiry), stem);
  if (!timingSafeEqual(expected, fromBase64Url(sig))) return 'invalid';
  return Number(expiry) * 1000 <= now ? 'expired' : 'valid';
}
