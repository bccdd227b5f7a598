import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { apiRequest, groupWith, json, type TestUser } from '../helpers/api';
import { createEvent, dayIn, eventForm, photoForm, photoKeys, photosAddedSince, pngFile, uploadPhoto } from '../helpers/events';

/** D1 whose multi-statement batches fail (the writes), while the auth check and reads work; its sessions too. */
function failing<T extends object>(real: T): T {
  return new Proxy(real, {
    get(target: any, prop) {
      if (prop === 'withSession') return (constraint?: string) => failing(target.withSession(constraint));
      if (prop === 'batch') {
        return (statements: D1PreparedStatement[]) =>
          statements.length > 1 ? Promise.reject(new Error('D1 is down')) : target.batch(statements);
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
const failingWrites = failing(env.DB);

async function postWithFailingD1(user: TestUser, path: string, form: FormData) {
  const app = createApp();
  const ctx = createExecutionContext();
  const res = await app.fetch(apiRequest('POST', path, { token: user.token, form }), { ...env, DB: failingWrites }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

describe('a failed D1 write leaves no photo behind', () => {
  it('for a cover image at creation', async () => {
    const { users } = await groupWith(1);
    const before = await photoKeys();
    const res = await postWithFailingD1(users[0]!, '/api/events', eventForm({ date: dayIn(1) }, { image: pngFile() }));
    expect(res.status).toBe(500);
    const body = await res.json<any>();
    expect(JSON.stringify(body)).not.toMatch(/D1|batch|DB/);
    expect(await photosAddedSince(before)).toEqual([]);
  });

  it('for a gallery upload, keeping the earlier photo', async () => {
    const { users } = await groupWith(1);
    const [anna] = users as [any];
    const event = await createEvent(anna, { date: dayIn(-1) });
    await json(uploadPhoto(anna, event.id), 201);
    const keys = (await env.PHOTOS.list({ prefix: `events/${event.id}/` })).objects.map((o) => o.key);
    const res = await postWithFailingD1(anna, `/api/events/${event.id}/photo`, photoForm(pngFile()));
    expect(res.status).toBe(500);
    expect((await env.PHOTOS.list({ prefix: `events/${event.id}/` })).objects.map((o) => o.key)).toEqual(keys);
  });
});
