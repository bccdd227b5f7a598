/** POST /api/events/{id}/photo: a member's gallery photo of an event (one per member and event). */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { adminToken, call, expectProblem, groupWith, json, type TestUser } from '../helpers/api';
import {
  createEvent,
  dayIn,
  JPEG_HEADER,
  neighboursOfBlock,
  PNG_1X1,
  pathOf,
  photoForm,
  photoPathParts,
  pngFile,
  uploadPhoto,
} from '../helpers/events';

const keysOf = async (eventId: string) =>
  (await env.PHOTOS.list({ prefix: `events/${eventId}/` })).objects.map((o) => o.key).sort();

const keyOf = (url: string) => photoPathParts(url).key;

describe('happy', () => {
  it('answers the new gallery item, marked as the caller’s own', async () => {
    const { users } = await groupWith(2);
    const [ben, cara] = users as [TestUser, TestUser];
    const past = await createEvent(ben, { date: dayIn(-1) });
    const item = await json(uploadPhoto(cara, past.id), 201);
    expect(item).toMatchObject({ userId: cara.id, userName: cara.name, isMine: true, uploadedAt: expect.any(String) });
  });

  it('stores one photo per user and event, replacing (and deleting) the old object', async () => {
    const { users } = await groupWith(2);
    const [anna, ben] = users as [TestUser, TestUser];
    const event = await createEvent(anna, { date: dayIn(-1) });

    const first = await json(uploadPhoto(ben, event.id), 201);
    expect(first).toEqual({
      userId: ben.id,
      userName: ben.name,
      url: expect.any(String),
      isMine: true,
      uploadedAt: expect.any(String),
    });
    const firstKey = keyOf(first.url);
    expect(firstKey).toMatch(new RegExp(`^events/${event.id}/[A-Za-z0-9_-]{22}-png\\.png$`));
    expect(await keysOf(event.id)).toEqual([firstKey]);
    const stored = await env.PHOTOS.get(firstKey);
    expect(stored!.httpMetadata!.contentType).toBe('image/png');
    expect(new Uint8Array(await stored!.arrayBuffer())).toEqual(PNG_1X1);

    const jpeg = new File([JPEG_HEADER, new Uint8Array(100)], 'photo.png', { type: 'image/png' });
    const second = await json(uploadPhoto(ben, event.id, jpeg), 201);
    const secondKey = keyOf(second.url);
    expect(secondKey).toMatch(/\.jpg$/);
    expect(await keysOf(event.id)).toEqual([secondKey]);
    expect(await env.PHOTOS.get(firstKey)).toBeNull();
    expect((await env.PHOTOS.head(secondKey))!.httpMetadata!.contentType).toBe('image/jpeg');
  });

  it('lists every member’s photo in the gallery, marking the caller’s own; deleting the event deletes them', async () => {
    const { users } = await groupWith(2);
    const [anna, ben] = users as [TestUser, TestUser];
    const event = await createEvent(anna, { date: dayIn(-1) });
    await json(uploadPhoto(ben, event.id), 201);
    // The baker adds one too.
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

  it('takes GIF, WebP, AVIF and HEIC by their magic bytes, whatever the file is called', async () => {
    const { users } = await groupWith(1);
    const [anna] = users as [TestUser];
    const event = await createEvent(anna, { date: dayIn(-1) });
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
});

describe('bad input', () => {
  let anna: TestUser;
  beforeAll(async () => {
    anna = (await groupWith(1)).users[0]!;
  });

  it('refuses a file that is not an image by its bytes (415), storing nothing', async () => {
    const event = await createEvent(anna, { date: dayIn(-1) });
    const fake = new File(['<svg xmlns="http://www.w3.org/2000/svg"></svg>'], 'cake.png', { type: 'image/png' });
    await expectProblem(uploadPhoto(anna, event.id, fake), 415, 'unsupported_media_type');
    expect(await keysOf(event.id)).toEqual([]);
  });

  it('refuses a photo above 10 MB (413), storing nothing', async () => {
    const event = await createEvent(anna, { date: dayIn(-1) });
    const big = new Uint8Array(10 * 1024 * 1024 + 1);
    big.set(PNG_1X1);
    await expectProblem(uploadPhoto(anna, event.id, new File([big], 'big.png', { type: 'image/png' })), 413, 'payload_too_large');
    expect(await keysOf(event.id)).toEqual([]);
  });

  it('needs a file in field photo (400), storing nothing', async () => {
    const event = await createEvent(anna, { date: dayIn(-1) });
    await expectProblem(uploadPhoto(anna, event.id, pngFile(), 'image'), 400, 'validation_failed');
    await expectProblem(uploadPhoto(anna, event.id, 'not a file'), 400, 'validation_failed');
    expect(await keysOf(event.id)).toEqual([]);
  });
});

describe('security', () => {
  it('is for members only: a global admin outside the group sees the event but gets 403', async () => {
    const { users } = await groupWith(1);
    const event = await createEvent(users[0]!, { date: dayIn(-1) });
    const res = await call('POST', `/api/events/${event.id}/photo`, { token: await adminToken(), form: photoForm(pngFile()) });
    await expectProblem(res, 403, 'forbidden');
  });

  describe('another group', () => {
    const n = neighboursOfBlock();

    it('gets 404 for an event, past or upcoming, and adds nothing to its gallery', async () => {
      for (const e of [n.past, n.upcoming]) await expectProblem(uploadPhoto(n.olga, e.id), 404, 'not_found');
      const detail = await json(call('GET', `/api/events/${n.past.id}`, { token: n.anna.token }), 200);
      expect(detail.gallery).toHaveLength(1);
      expect((await env.PHOTOS.list({ prefix: `events/${n.past.id}/` })).objects).toHaveLength(1);
      expect(await keysOf(n.upcoming.id)).toEqual([]);
    });
  });
});
