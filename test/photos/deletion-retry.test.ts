/**
 * No photo outlives its erasure: R2 objects whose deletion fails are kept
 * and deleted by the daily cron.
 */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { D1_MAX_PARAMETERS } from '../../src/db/parameter-limit';
import worker from '../../src/index';
import { photoKey } from '../../src/photos/upload';
import { adminToken, apiRequest, groupWith, json, type TestUser } from '../helpers/api';
import { countingD1, D1_FAILURE } from '../helpers/d1-counter';
import {
  createEvent,
  dayIn,
  galleryPhotoInsert,
  insertEvents,
  PNG_1X1,
  photoKeys,
  photosAddedSince,
  uploadPhoto,
} from '../helpers/events';
import { captureLogs } from '../helpers/logs';

/** The photo bucket with R2 failing every deletion, for one request. */
const failingDeletes = new Proxy(env.PHOTOS, {
  get(target: any, prop) {
    if (prop === 'delete') return () => Promise.reject(new Error('R2 is unavailable'));
    const value = Reflect.get(target, prop, target);
    return typeof value === 'function' ? value.bind(target) : value;
  },
}) as R2Bucket;

async function withFailingR2(token: string, method: string, path: string) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(apiRequest(method, path, { token }), { ...env, PHOTOS: failingDeletes } as never, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

async function dailyCron() {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: '0 6 * * *' }), env);
  await waitOnExecutionContext(ctx);
}

/** A photo's R2 object and its row, as an upload leaves them. */
async function storedPhoto(eventId: string, userId: string): Promise<{ key: string; row: D1PreparedStatement }> {
  const key = photoKey(eventId, 'png');
  await env.PHOTOS.put(key, PNG_1X1, { httpMetadata: { contentType: 'image/png' } });
  return { key, row: galleryPhotoInsert(eventId, userId, key) };
}

/** One photo each by `count` fixture users on an event (a user adds one photo to an event). */
async function crowdedGallery(eventId: string, count: number): Promise<string[]> {
  const now = new Date().toISOString();
  const photos = await Promise.all(
    Array.from({ length: count }, async () => {
      const id = crypto.randomUUID();
      const user = env.DB.prepare(
        "insert into users (id, name, email, password_hash, is_active, created_at) values (?, 'Guest', ?, 'x', 1, ?)",
      );
      return { ...(await storedPhoto(eventId, id)), user: user.bind(id, `guest-${id}@cake.test`, now) };
    }),
  );
  await env.DB.batch(photos.flatMap((p) => [p.user, p.row]));
  return photos.map((p) => p.key);
}

/** One photo by `user` on each of `count` past events of `baker`'s group. */
async function photosOnManyEvents(groupId: string, baker: TestUser, user: TestUser, count: number): Promise<string[]> {
  const eventIds = await insertEvents(
    ...Array.from({ length: count }, (_, i) => ({ groupId, bakerId: baker.id, date: dayIn(-2 - i) })),
  );
  const photos = await Promise.all(eventIds.map((eventId) => storedPhoto(eventId, user.id)));
  await env.DB.batch(photos.map((p) => p.row));
  return photos.map((p) => p.key);
}

const pending = async () =>
  (await env.DB.prepare('select object_key from photo_deletions').all<{ object_key: string }>()).results.map((r) => r.object_key);

describe('photos whose deletion R2 refused', () => {
  it('are recorded and deleted however many there are, each statement within D1’s parameter limit', async () => {
    // The limit holds for every statement of the suite (test/setup/d1-parameter-limit.ts).
    const tooMany = Array.from({ length: D1_MAX_PARAMETERS + 1 }, () => 1);
    expect(() => env.DB.prepare(`select ${tooMany.map(() => '?').join(', ')}`).bind(...tooMany)).toThrow(
      /at most 100 parameters/,
    );

    const { users } = await groupWith(1);
    const [anna] = users as [TestUser];
    const cake = await createEvent(anna, { date: dayIn(-1) });
    const gallery = await crowdedGallery(cake.id, 120);

    expect((await withFailingR2(await adminToken(), 'DELETE', `/api/events/${cake.id}`)).status).toBe(200);
    expect(await pending()).toEqual(expect.arrayContaining(gallery));

    await dailyCron();
    const left = new Set(await photoKeys());
    expect(gallery.filter((key) => left.has(key))).toEqual([]);
    expect(await pending()).not.toEqual(expect.arrayContaining([gallery[0]]));
  });

  it('of an erased account with photos on 120 events are all recorded and deleted by the daily cron', async () => {
    const { group, users } = await groupWith(2);
    const [anna, ben] = users as [TestUser, TestUser];
    const gallery = await photosOnManyEvents(group.id, anna, ben, 120);

    expect((await withFailingR2(ben.token, 'DELETE', '/api/user')).status).toBe(200);
    expect(await pending()).toEqual(expect.arrayContaining(gallery));

    await dailyCron();
    const left = new Set(await photoKeys());
    expect(gallery.filter((key) => left.has(key))).toEqual([]);
    const stillPending = new Set(await pending());
    expect(gallery.filter((key) => stillPending.has(key))).toEqual([]);
  });

  it('of an erased account are deleted by the daily cron', async () => {
    const { users } = await groupWith(2);
    const [anna, ben] = users as [TestUser, TestUser];
    const cake = await createEvent(anna, { date: dayIn(-1) });
    const before = await photoKeys();
    await json(uploadPhoto(ben, cake.id), 201);
    const stored = await photosAddedSince(before);
    expect(stored.length).toBeGreaterThan(0);

    expect((await withFailingR2(ben.token, 'DELETE', '/api/user')).status).toBe(200);
    expect(await photosAddedSince(before)).toEqual(stored);
    expect(await pending()).toEqual(expect.arrayContaining(stored));

    await dailyCron();
    expect(await photosAddedSince(before)).toEqual([]);
    expect(await pending()).not.toEqual(expect.arrayContaining(stored));
  });

  it('of a deleted event are deleted by the daily cron', async () => {
    const { users } = await groupWith(1);
    const [anna] = users as [TestUser];
    const cake = await createEvent(anna, { date: dayIn(-1) });
    const before = await photoKeys();
    await json(uploadPhoto(anna, cake.id), 201);
    const stored = await photosAddedSince(before);

    // A past event: only an admin may delete it.
    expect((await withFailingR2(await adminToken(), 'DELETE', `/api/events/${cake.id}`)).status).toBe(200);
    expect(await photosAddedSince(before)).toEqual(stored);
    await dailyCron();
    expect(await photosAddedSince(before)).toEqual([]);
  });
});

describe('the daily cron', () => {
  afterEach(() => vi.restoreAllMocks());

  it('runs every job to its end when one fails, logs each outcome, and reports the run as failed', async () => {
    const dayAgo = Date.now() - 25 * 60 * 60 * 1000;
    const [failureKey, budgetKey] = [`cron-${crypto.randomUUID()}`, `cron-${crypto.randomUUID()}`];
    await env.DB.batch([
      env.DB.prepare('insert into sign_in_failures (key, failures, blocked_until, updated_at) values (?, 1, null, ?)').bind(
        failureKey,
        dayAgo,
      ),
      env.DB.prepare('insert into write_budgets (key, window_start, used) values (?, ?, 1)').bind(budgetKey, dayAgo),
    ]);
    const { lines } = captureLogs();
    // D1 refuses the photo retry's bookkeeping at once, while the other jobs' statements are under way.
    const { db, counter } = countingD1(env.DB, (sql) => sql.includes('photo_deletions'));

    const run = worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: '0 6 * * *' }), { ...env, DB: db });
    const error = await run.then(
      () => null,
      (e: Error) => e,
    );
    const doneByThen = [...counter.done];
    expect(error?.message).toBe('daily cron failed: photo deletion retry');
    // Both sweeps had finished when the run ended, and took their rows.
    expect(doneByThen.filter((sql) => /sign_in_failures|write_budgets/.test(sql))).toHaveLength(2);
    const left = await env.DB.batch([
      env.DB.prepare('select count(*) n from sign_in_failures where key = ?').bind(failureKey),
      env.DB.prepare('select count(*) n from write_budgets where key = ?').bind(budgetKey),
    ]);
    expect(left.map((r) => (r.results[0] as { n: number }).n)).toEqual([0, 0]);
    const jobs = lines.map((line) => JSON.parse(line)).filter((line) => line.msg === 'daily job');
    expect(jobs.map(({ job, outcome, level }) => [job, outcome, level])).toEqual(
      expect.arrayContaining([
        ['reminders', 'done', 'info'],
        ['sign-in failure sweep', 'done', 'info'],
        ['write budget sweep', 'done', 'info'],
        ['photo deletion retry', 'failed', 'error'],
      ]),
    );
    expect(jobs.find((j) => j.outcome === 'failed')).toMatchObject({
      errorClass: 'Error',
      error: `Error ← Error: ${D1_FAILURE}`,
    });
  });
});
