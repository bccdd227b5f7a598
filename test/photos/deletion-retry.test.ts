/**
 * No photo outlives its erasure: R2 objects whose deletion fails are kept
 * and deleted by the daily cron.
 */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import worker from '../../src/index';
import { adminToken, apiRequest, groupWith, json, type TestUser } from '../helpers/api';
import { createEvent, dayIn, photoKeys, photosAddedSince, uploadPhoto } from '../helpers/events';

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
  await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "0 6 * * *" }), env);
  await waitOnExecutionContext(ctx);
}

const pending = async () =>
  (await env.DB.prepare('select object_key from photo_deletions').all<{ object_key: string }>()).results.map((r) => r.object_key);

describe('photos whose deletion R2 refused', () => {
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
