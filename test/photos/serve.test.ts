/** GET /api/photos/{expiry}/{signature}/{key}: signed photo paths, originals and their responsive variants (public: the signature is the credential). */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { servePhoto } from '../../src/photos/serve';
import { signPhotoPath } from '../../src/photos/signing';
import { BASE, call, expectProblem, groupWith, json, type TestUser } from '../helpers/api';
import {
  createEvent,
  dayIn,
  eventForm,
  PNG_1X1,
  photoPathParts as partsOf,
  pathOf,
  pngFile,
  uploadPhoto,
} from '../helpers/events';
import { until } from '../helpers/live';

/** The photo bucket, writing down the name of every method called on it. */
function recordingBucket(calls: string[]): R2Bucket {
  return new Proxy(env.PHOTOS, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push(String(prop));
        return value.apply(target, args);
      };
    },
  });
}

/** The path of a freshly uploaded PNG. */
async function uploaded() {
  const { users } = await groupWith(1);
  const event = await createEvent(users[0]!, { date: dayIn(-1) });
  const item = await json(uploadPhoto(users[0]!, event.id), 201);
  return pathOf(item.url);
}

describe('happy', () => {
  it('a signed path serves the image without Authorization, with type, nosniff, ETag and cache headers', async () => {
    const path = await uploaded();
    expect(path).toMatch(/^\/api\/photos\/\d+\/[A-Za-z0-9_-]{43}\/events\/[^/]+\/[A-Za-z0-9_-]+\.png$/);
    const res = await call('GET', path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toMatch(/private.*max-age=\d+.*immutable/);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(PNG_1X1);
    const etag = res.headers.get('etag')!;
    expect(etag).toMatch(/^".+"$/);
    const cached = await call('GET', path, { headers: { 'If-None-Match': etag } });
    expect(cached.status).toBe(304);
    expect(cached.headers.get('etag')).toBe(etag);
    expect((await call('GET', path, { headers: { 'If-None-Match': '"stale"' } })).status).toBe(200);
    // The original's ETag does not validate a variant.
    expect((await call('GET', path.replace(/\.png$/, '__480.webp'), { headers: { 'If-None-Match': etag } })).status).toBe(200);
  });

  it('a signed path is what the document’s path template describes, one path segment per parameter', async () => {
    const doc = await json(call('GET', '/api/openapi.json'), 200);
    const [template, item] = Object.entries(doc.paths as Record<string, any>).find(([, i]) => i.get?.operationId === 'getPhoto')!;
    expect(template).toBe('/api/photos/{expiry}/{signature}/events/{eventId}/{file}');
    const names = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    const declared = item.get.parameters.filter((p: any) => p.in === 'path' && p.required).map((p: any) => p.name);
    expect(declared.sort()).toEqual([...names].sort());
    const segments = template.split(/(\{\w+\})/).map((part) => {
      const name = /^\{(\w+)\}$/.exec(part)?.[1];
      return name ? `(?<${name}>[^/]+)` : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    });
    const pattern = new RegExp(`^${segments.join('')}$`);

    const { users } = await groupWith(1);
    const [anna] = users as [any];
    const { event } = await json(
      call('POST', '/api/events', { token: anna.token, form: eventForm({ date: dayIn(1) }, { image: pngFile() }) }),
      201,
    );
    const gallery = await json(uploadPhoto(anna, event.id), 201);
    for (const url of [event.photoUrl, gallery.url]) {
      const original = pathOf(url);
      for (const path of [original, original.replace(/\.png$/, '__480.webp')]) {
        const params = pattern.exec(path)?.groups;
        expect(params, path).toBeDefined();
        expect(params!.eventId).toBe(event.id);
        // A client building the URL from the template and these parameters gets the same, working path.
        const built = template.replace(/\{(\w+)\}/g, (_: string, name: string) => encodeURIComponent(params![name]!));
        expect(built).toBe(path);
        const res = await call('GET', built);
        expect(res.status, built).toBe(200);
        await res.arrayBuffer();
      }
    }
  });

  it('a signed path stays stable for a day and expires between one and two days later', async () => {
    const path = await uploaded();
    const { expiry, key } = partsOf(path);
    const now = Date.now();
    expect(Number(expiry) % 86_400).toBe(0);
    expect(Number(expiry) * 1000 - now).toBeGreaterThan(86_400_000);
    expect(Number(expiry) * 1000 - now).toBeLessThanOrEqual(2 * 86_400_000);
    expect(await signPhotoPath(env, key)).toBe(path);
  });

  it('the responsive variants resolve with the same signature', async () => {
    expect(env.IMAGES).toBeUndefined();
    const path = await uploaded();
    for (const width of [480, 800, 1280]) {
      const res = await call('GET', path.replace(/\.png$/, `__${width}.webp`));
      expect(res.status, String(width)).toBe(200);
      // The test runtime has no Images binding: the original is served, with its own type and bytes.
      expect(res.headers.get('content-type')).toBe('image/png');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      const etag = res.headers.get('etag')!;
      expect(etag).toMatch(new RegExp(`-w${width}"$`));
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect(bytes.byteLength).toBeGreaterThan(0);
      expect(bytes).toEqual(PNG_1X1);
      const cached = await call('GET', path.replace(/\.png$/, `__${width}.webp`), { headers: { 'If-None-Match': etag } });
      expect(cached.status).toBe(304);
    }
  });

  it('a variant is served with one R2 get, no listing', async () => {
    const { expiry, signature, key } = partsOf(await uploaded());
    const calls: string[] = [];
    const photos = recordingBucket(calls);
    const res = await servePhoto(
      { ...env, PHOTOS: photos },
      { expiry, signature, path: key.replace(/\.png$/, '__800.webp') },
      null,
    );
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    expect(calls).toEqual(['get']);
  });

  it('the second request comes from the edge cache: the original and every variant, R2 only asked whether the photo still exists, ETag still honoured', async () => {
    const path = await uploaded();
    const { expiry, signature, key } = partsOf(path);
    const gets: string[] = [];
    const photos = recordingBucket(gets);
    for (const objectPath of [
      key,
      key.replace(/\.png$/, '__480.webp'),
      key.replace(/\.png$/, '__800.webp'),
      key.replace(/\.png$/, '__1280.webp'),
    ]) {
      const pending: Promise<unknown>[] = [];
      const cache = {
        url: `https://cake.test/api/photos/${expiry}/${signature}/${objectPath}`,
        waitUntil: (p: Promise<unknown>) => void pending.push(p),
      };
      const first = await servePhoto({ ...env, PHOTOS: photos }, { expiry, signature, path: objectPath }, null, cache);
      const bytes = new Uint8Array(await first.arrayBuffer());
      await Promise.all(pending);
      gets.length = 0;
      const second = await servePhoto({ ...env, PHOTOS: photos }, { expiry, signature, path: objectPath }, null, cache);
      expect(second.status).toBe(200);
      expect(new Uint8Array(await second.arrayBuffer())).toEqual(bytes);
      expect(second.headers.get('cache-control')).toMatch(/^private, max-age=\d+, immutable$/);
      expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
      const revalidated = await servePhoto(
        { ...env, PHOTOS: photos },
        { expiry, signature, path: objectPath },
        first.headers.get('etag'),
        cache,
      );
      expect(revalidated.status).toBe(304);
      expect(gets, objectPath).toEqual(['head', 'head']);
    }
    // Over HTTP too: the Worker's own route fills and reads the same cache.
    expect((await call('GET', path)).status).toBe(200);
    expect((await call('GET', path)).status).toBe(200);
  });
});

describe('bad input', () => {
  it('unknown keys, a path outside the photos, a type the stem does not name and an unknown width answer 404', async () => {
    const path = await uploaded();
    const { expiry, signature, key } = partsOf(path);
    const unknown = await signPhotoPath(env, `events/${crypto.randomUUID()}/AAAAAAAAAAAAAAAAAAAAAA-png.png`);
    await expectProblem(call('GET', unknown), 404);
    await expectProblem(call('GET', unknown.replace(/\.png$/, '__480.webp')), 404);
    await expectProblem(call('GET', `/api/photos/${expiry}/${signature}/../../etc/passwd`), 404);
    // The type in the stem and the extension must agree.
    await expectProblem(call('GET', `/api/photos/${expiry}/${signature}/${key.replace(/\.png$/, '.jpg')}`), 404);
    expect((await call('GET', path.replace(/\.png$/, '__640.webp'))).status).toBe(404);
  });
});

describe('security', () => {
  it('a deleted photo is gone from its signed URL, original and variants, though the edge cache held them', async () => {
    const { users } = await groupWith(1);
    const [anna] = users as [TestUser];
    const event = await createEvent(anna, { date: dayIn(1) });
    const original = pathOf((await json(uploadPhoto(anna, event.id), 201)).url);
    const paths = [original, original.replace(/\.png$/, '__480.webp')];
    for (const path of paths) {
      expect((await call('GET', path)).status, path).toBe(200);
      await until(async () => !!(await caches.default.match(`${BASE}${path}`)));
    }

    await json(call('DELETE', `/api/events/${event.id}`, { token: anna.token }), 200);
    for (const path of paths) {
      await expectProblem(call('GET', path), 404, 'not_found');
      await expectProblem(call('GET', path, { headers: { 'If-None-Match': '"any"' } }), 404, 'not_found');
      // And the copy leaves this location's cache.
      await until(async () => !(await caches.default.match(`${BASE}${path}`)));
    }
  });

  it('tampered and expired signatures, and the signature of another photo, are refused (403)', async () => {
    const path = await uploaded();
    const { expiry, signature, key } = partsOf(path);
    const flipped = (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1);
    await expectProblem(call('GET', `/api/photos/${expiry}/${flipped}/${key}`), 403);
    await expectProblem(call('GET', `/api/photos/${Number(expiry) + 86_400}/${signature}/${key}`), 403);
    const otherKey = key.replace(/\/[^/]+\.png$/, '/AAAAAAAAAAAAAAAAAAAAAA-png.png');
    await expectProblem(call('GET', `/api/photos/${expiry}/${signature}/${otherKey}`), 403);

    const expired = await signPhotoPath(env, key, Date.now() - 3 * 86_400_000);
    await expectProblem(call('GET', expired), 403);
  });
});
