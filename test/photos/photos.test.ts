import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { servePhoto } from '../../src/photos/serve';
import { signPhotoPath } from '../../src/photos/signing';
import { adminToken, call, expectProblem, groupWith, json } from '../helpers/api';
import { JPEG_HEADER, PNG_1X1, createEvent, dayIn, eventForm, pathOf, pngFile, uploadPhoto } from '../helpers/events';

const keysOf = async (eventId: string) =>
  (await env.PHOTOS.list({ prefix: `events/${eventId}/` })).objects.map((o) => o.key).sort();

/** `/api/photos/<expiry>/<signature>/<key>` → its parts. */
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

function partsOf(path: string) {
  const [, , , expiry, signature, ...key] = path.split('/');
  return { expiry: expiry!, signature: signature!, key: key.join('/') };
}

describe('gallery uploads', () => {
  it('stores one photo per user and event, replacing (and deleting) the old object', async () => {
    const { users } = await groupWith(2);
    const [anna, ben] = users as [any, any];
    const event = await createEvent(anna, { date: dayIn(-1) });

    const first = await json(uploadPhoto(ben, event.id), 201);
    expect(first).toEqual({ userId: ben.id, userName: ben.name, url: expect.any(String), isMine: true, uploadedAt: expect.any(String) });
    const firstKey = partsOf(pathOf(first.url)).key;
    expect(firstKey).toMatch(new RegExp(`^events/${event.id}/[A-Za-z0-9_-]{22}-png\\.png$`));
    expect(await keysOf(event.id)).toEqual([firstKey]);
    const stored = await env.PHOTOS.get(firstKey);
    expect(stored!.httpMetadata!.contentType).toBe('image/png');
    expect(new Uint8Array(await stored!.arrayBuffer())).toEqual(PNG_1X1);

    const jpeg = new File([JPEG_HEADER, new Uint8Array(100)], 'photo.png', { type: 'image/png' });
    const second = await json(uploadPhoto(ben, event.id, jpeg), 201);
    const secondKey = partsOf(pathOf(second.url)).key;
    expect(secondKey).toMatch(/\.jpg$/);
    expect(await keysOf(event.id)).toEqual([secondKey]);
    expect(await env.PHOTOS.get(firstKey)).toBeNull();
    expect((await env.PHOTOS.head(secondKey))!.httpMetadata!.contentType).toBe('image/jpeg');

    // The baker adds one too; the gallery lists both, marking the caller's own.
    await json(uploadPhoto(anna, event.id), 201);
    const detail = await json(call('GET', `/api/events/${event.id}`, { token: ben.token }), 200);
    expect(detail.gallery.map((g: any) => [g.userId, g.isMine])).toEqual([
      [ben.id, true],
      [anna.id, false],
    ]);
    expect(await keysOf(event.id)).toHaveLength(2);

    await json(call('DELETE', `/api/events/${event.id}`, { token: await adminToken() }), 200);
    expect(await keysOf(event.id)).toEqual([]);
  });

  it('decides the type by magic bytes: 415 otherwise, and 413 above 10 MB', async () => {
    const { users } = await groupWith(1);
    const [anna] = users as [any];
    const event = await createEvent(anna, { date: dayIn(-1) });
    const fake = new File(['<svg xmlns="http://www.w3.org/2000/svg"></svg>'], 'cake.png', { type: 'image/png' });
    await expectProblem(uploadPhoto(anna, event.id, fake), 415, 'unsupported_media_type');
    const big = new Uint8Array(10 * 1024 * 1024 + 1);
    big.set(PNG_1X1);
    await expectProblem(uploadPhoto(anna, event.id, new File([big], 'big.png', { type: 'image/png' })), 413, 'payload_too_large');
    await expectProblem(uploadPhoto(anna, event.id, pngFile(), 'image'), 400, 'validation_failed');
    await expectProblem(uploadPhoto(anna, event.id, 'not a file'), 400, 'validation_failed');
    expect(await keysOf(event.id)).toEqual([]);

    for (const [bytes, ext] of [
      [new TextEncoder().encode('GIF89a\x01\x00\x01\x00'), 'gif'],
      [new TextEncoder().encode('RIFF\x1a\x00\x00\x00WEBPVP8L'), 'webp'],
      [Uint8Array.from([0, 0, 0, 0x1c, ...new TextEncoder().encode('ftypavif\0\0\0\0mif1miaf')]), 'avif'],
      [Uint8Array.from([0, 0, 0, 0x18, ...new TextEncoder().encode('ftypheic\0\0\0\0mif1heic')]), 'heic'],
    ] as const) {
      const item = await json(uploadPhoto(anna, event.id, new File([bytes], 'x.bin')), 201);
      expect(pathOf(item.url)).toMatch(new RegExp(`\\.${ext}$`));
    }
  });

  it('needs authentication and membership', async () => {
    const { users } = await groupWith(1);
    const event = await createEvent(users[0]!, { date: dayIn(-1) });
    await expectProblem(call('POST', `/api/events/${event.id}/photo`), 401);
  });
});

describe('signed photo paths', () => {
  async function uploaded() {
    const { users } = await groupWith(1);
    const event = await createEvent(users[0]!, { date: dayIn(-1) });
    const item = await json(uploadPhoto(users[0]!, event.id), 201);
    return pathOf(item.url);
  }

  it('serve the image without Authorization, with type, nosniff, ETag and cache headers', async () => {
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

  it('are what the document’s path template describes, one path segment per parameter', async () => {
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
    const { event } = await json(call('POST', '/api/events', { token: anna.token, form: eventForm({ date: dayIn(1) }, { image: pngFile() }) }), 201);
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

  it('stay stable for a day and expire between one and two days later', async () => {
    const path = await uploaded();
    const { expiry, key } = partsOf(path);
    const now = Date.now();
    expect(Number(expiry) % 86_400).toBe(0);
    expect(Number(expiry) * 1000 - now).toBeGreaterThan(86_400_000);
    expect(Number(expiry) * 1000 - now).toBeLessThanOrEqual(2 * 86_400_000);
    expect(await signPhotoPath(env, key)).toBe(path);
  });

  it('resolve the responsive variants with the same signature', async () => {
    const path = await uploaded();
    for (const width of [480, 800, 1280]) {
      const res = await call('GET', path.replace(/\.png$/, `__${width}.webp`));
      expect(res.status, String(width)).toBe(200);
      // Without an Images binding the original is served, with its own type.
      expect(res.headers.get('content-type')).toMatch(/^image\/(webp|png)$/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      const etag = res.headers.get('etag')!;
      expect(etag).toMatch(new RegExp(`-w${width}"$`));
      expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(0);
      const cached = await call('GET', path.replace(/\.png$/, `__${width}.webp`), { headers: { 'If-None-Match': etag } });
      expect(cached.status).toBe(304);
    }
    expect((await call('GET', path.replace(/\.png$/, '__640.webp'))).status).toBe(404);
  });

  it('serve a variant with one R2 get, no listing', async () => {
    const { expiry, signature, key } = partsOf(await uploaded());
    const calls: string[] = [];
    const photos = recordingBucket(calls);
    const res = await servePhoto({ ...env, PHOTOS: photos }, { expiry, signature, path: key.replace(/\.png$/, '__800.webp') }, null);
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    expect(calls).toEqual(['get']);
  });

  it('come from the edge cache the second time: the original and every variant, no R2 read, ETag still honoured', async () => {
    const path = await uploaded();
    const { expiry, signature, key } = partsOf(path);
    const gets: string[] = [];
    const photos = recordingBucket(gets);
    for (const objectPath of [key, key.replace(/\.png$/, '__480.webp'), key.replace(/\.png$/, '__800.webp'), key.replace(/\.png$/, '__1280.webp')]) {
      const pending: Promise<unknown>[] = [];
      const cache = { url: `https://cake.test/api/photos/${expiry}/${signature}/${objectPath}`, waitUntil: (p: Promise<unknown>) => void pending.push(p) };
      const first = await servePhoto({ ...env, PHOTOS: photos }, { expiry, signature, path: objectPath }, null, cache);
      const bytes = new Uint8Array(await first.arrayBuffer());
      await Promise.all(pending);
      gets.length = 0;
      const second = await servePhoto({ ...env, PHOTOS: photos }, { expiry, signature, path: objectPath }, null, cache);
      expect(second.status).toBe(200);
      expect(new Uint8Array(await second.arrayBuffer())).toEqual(bytes);
      expect(second.headers.get('cache-control')).toMatch(/^private, max-age=\d+, immutable$/);
      expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
      const revalidated = await servePhoto({ ...env, PHOTOS: photos }, { expiry, signature, path: objectPath }, first.headers.get('etag'), cache);
      expect(revalidated.status).toBe(304);
      expect(gets, objectPath).toEqual([]);
    }
    // Over HTTP too: the Worker's own route fills and reads the same cache.
    expect((await call('GET', path)).status).toBe(200);
    expect((await call('GET', path)).status).toBe(200);
  });

  it('refuse tampered and expired signatures, and 404 for unknown keys', async () => {
    const path = await uploaded();
    const { expiry, signature, key } = partsOf(path);
    const flipped = (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1);
    await expectProblem(call('GET', `/api/photos/${expiry}/${flipped}/${key}`), 403);
    await expectProblem(call('GET', `/api/photos/${Number(expiry) + 86_400}/${signature}/${key}`), 403);
    const otherKey = key.replace(/\/[^/]+\.png$/, '/AAAAAAAAAAAAAAAAAAAAAA-png.png');
    await expectProblem(call('GET', `/api/photos/${expiry}/${signature}/${otherKey}`), 403);

    const expired = await signPhotoPath(env, key, Date.now() - 3 * 86_400_000);
    await expectProblem(call('GET', expired), 403);

    const unknown = await signPhotoPath(env, `events/${crypto.randomUUID()}/AAAAAAAAAAAAAAAAAAAAAA-png.png`);
    await expectProblem(call('GET', unknown), 404);
    await expectProblem(call('GET', unknown.replace(/\.png$/, '__480.webp')), 404);
    await expectProblem(call('GET', `/api/photos/${expiry}/${signature}/../../etc/passwd`), 404);
    // The type in the stem and the extension must agree.
    await expectProblem(call('GET', `/api/photos/${expiry}/${signature}/${key.replace(/\.png$/, '.jpg')}`), 404);
  });
});
