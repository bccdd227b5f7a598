/**
 * D1 round trips per request, counted on a wrapped binding: every read is
 * one (the token check rides in the handler's batch), every write two (the
 * token check with the facts it decides on, then the write batch), and a
 * calendar feed one small read unless it changed (then one more to build it).
 */
import { createExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { apiRequest, call, groupWith, json, type TestUser } from '../helpers/api';
import { type CountedOptions, countedRequests } from '../helpers/d1-counter';
import { createEvent, dayIn, eventForm, photoForm, pngFile, seedRatings, uploadPhoto } from '../helpers/events';

const app = createApp();
const send = countedRequests(app);

let anna: TestUser;
let ben: TestUser;
let cara: TestUser;
let events: any[];
let groupId: string;

beforeAll(async () => {
  const { group, users } = await groupWith(3);
  [anna, ben, cara] = users as [TestUser, TestUser, TestUser];
  groupId = group.id;
  events = [];
  for (let i = 1; i <= 4; i++) events.push(await createEvent(users[i % 3]!, { date: dayIn(-i) }));
  for (const e of events) {
    await seedRatings(group.id, e.id, [4, 5]);
    await json(
      call('POST', `/api/events/${e.id}/rate`, { token: e.bakerId === anna.id ? ben.token : anna.token, body: { stars: 3 } }),
      200,
    );
    await json(uploadPhoto(cara, e.id), 201);
    if (e.bakerId !== ben.id) await json(uploadPhoto(ben, e.id), 201);
  }
  // The first request of an app may run the one-time admin bootstrap.
  await send('GET', '/api/system/healthcheck');
});

describe('D1 round trips per request', () => {
  it('every read costs one, whole objects included (galleries, ratings), first and next pages alike', async () => {
    // Each path, and whether its answer has a next page (the small limits do: there are four events).
    const paths: [string, boolean][] = [
      [`/api/events?start=${dayIn(-10)}&end=${dayIn(10)}`, false],
      [`/api/events?start=${dayIn(-10)}&end=${dayIn(10)}&limit=2`, true],
      [`/api/events?start=${dayIn(-10)}&end=${dayIn(10)}&groupId=${groupId}`, false],
      [`/api/events/${events[0].id}`, false],
      ['/api/events/ranked', false],
      ['/api/events/ranked?limit=1', true],
      [`/api/events/ranked?groupId=${groupId}`, false],
    ];
    for (const [path, paged] of paths) {
      const first = await send('GET', path, { token: anna.token });
      expect(first.status, path).toBe(200);
      const items = JSON.parse(first.text);
      expect((Array.isArray(items) ? items : [items]).every((e: any) => e.gallery.length >= 1 && e.rating.count === 3)).toBe(
        true,
      );
      expect(first.trips, path).toBe(1);
      const next = /<([^>]+)>; rel="next"/.exec(first.res.headers.get('Link') ?? '')?.[1];
      expect(next !== undefined, `${path}: a next page`).toBe(paged);
      if (paged)
        expect((await send('GET', new URL(next!).pathname + new URL(next!).search, { token: anna.token })).trips, next).toBe(1);
    }
    await json(call('GET', '/api/user/calendar', { token: anna.token }), 200); // the first call creates the feed token
    for (const path of [
      '/api/user',
      '/api/users',
      '/api/users?limit=1',
      '/api/user/groups',
      `/api/events/${events[0].id}/ics`,
      '/api/user/calendar',
    ]) {
      const { status, trips } = await send('GET', path, { token: anna.token });
      expect([path, status, trips]).toEqual([path, 200, 1]);
    }
  });

  it('the calendar feed: two trips to build it, one to serve it built again or as a 304, two when it changed', async () => {
    const { url } = await json(call('GET', '/api/user/calendar', { token: anna.token }), 200);
    const path = new URL(url).pathname;
    const first = await send('GET', path);
    expect([first.status, first.trips]).toEqual([200, 2]);
    const again = await send('GET', path);
    expect([again.status, again.trips, again.text]).toEqual([200, 1, first.text]);
    const etag = first.res.headers.get('ETag')!;
    const polled = await send('GET', path, { headers: { 'If-None-Match': etag } });
    expect([polled.status, polled.trips, polled.text]).toEqual([304, 1, '']);
    await createEvent(ben, { date: dayIn(15) });
    const changed = await send('GET', path, { headers: { 'If-None-Match': etag } });
    expect([changed.status, changed.trips]).toEqual([200, 2]);
    expect(changed.res.headers.get('ETag')).not.toBe(etag);
  });

  it('every event write costs two, refusals included', async () => {
    // Beyond the ten days the reads above list, whatever order the tests run in.
    const upcoming = await createEvent(anna, { date: dayIn(13) });
    const cases: [string, string, CountedOptions, number][] = [
      ['POST', '/api/events', { token: anna.token, body: { date: dayIn(17) } }, 201],
      ['POST', '/api/events', { token: anna.token, form: eventForm({ date: dayIn(18) }, { image: pngFile() }) }, 201],
      ['POST', `/api/events/${events[1].id}/rate`, { token: anna.token, body: { stars: 5 } }, 200],
      ['POST', `/api/events/${events[1].id}/rate`, { token: cara.token, body: { stars: 5 } }, 403],
      ['POST', `/api/events/${upcoming.id}/rate`, { token: ben.token, body: { stars: 5 } }, 409],
      ['POST', '/api/events/nope/rate', { token: ben.token, body: { stars: 5 } }, 404],
      ['POST', `/api/events/${events[1].id}/photo`, { token: anna.token, form: photoForm(pngFile()) }, 201],
      ['DELETE', `/api/events/${upcoming.id}`, { token: ben.token }, 403],
      ['DELETE', `/api/events/${upcoming.id}`, { token: anna.token }, 200],
    ];
    for (const [method, path, options, status] of cases) {
      const result = await send(method, path, options);
      expect([method, path, result.status, result.trips]).toEqual([method, path, status, status < 300 ? 2 : result.trips]);
      expect(result.trips, `${method} ${path}`).toBeLessThanOrEqual(2);
    }
  });
});

describe('Server-Timing (SERVER_TIMING = "on")', () => {
  it('reports the D1 cost of a request; off by default', async () => {
    const path = `/api/events/${events[0].id}`;
    const measured = await app.fetch(
      apiRequest('GET', path, { token: anna.token }),
      { ...env, SERVER_TIMING: 'on' } as never,
      createExecutionContext(),
    );
    expect(measured.status).toBe(200);
    expect(measured.headers.get('Server-Timing')).toMatch(/^d1;dur=\d+\.\d{3};desc="1 trips, 3 statements, \d+ rows read"$/);
    const plain = await app.fetch(apiRequest('GET', path, { token: anna.token }), env, createExecutionContext());
    expect(plain.headers.get('Server-Timing')).toBeNull();
  });
});

describe("the token's admin hint picks a list's statement", () => {
  it('reads a page asked for again afresh: nothing is kept per URL, however long or odd the URL', async () => {
    const path = `/api/events?start=${dayIn(-10)}&end=${dayIn(10)}&ignored=${'x'.repeat(4_000)}`;
    const first = await send('GET', path, { token: anna.token });
    const again = await send('GET', path, { token: anna.token });
    expect([first.status, first.trips, first.statements]).toEqual([200, 1, 3]);
    expect([again.status, again.trips, again.statements]).toEqual([200, 1, 3]);
    expect(again.text).toBe(first.text);
  });

  it('sends both branches with the token check in one trip: a role changed since sign-in is answered right, at no extra trip', async () => {
    const path = `/api/events?start=${dayIn(-10)}&end=${dayIn(10)}&limit=999`;
    const asMember = await send('GET', path, { token: anna.token });
    // The token check and the two branches (the one that does not apply reads no row).
    expect([asMember.status, asMember.trips, asMember.statements]).toEqual([200, 1, 3]);
    const seen = JSON.parse(asMember.text).map((e: any) => e.id);

    // Anna becomes a global admin after her token was issued.
    await env.DB.prepare('update users set is_admin = 1 where id = ?').bind(anna.id).run();
    try {
      const promoted = await send('GET', path, { token: anna.token });
      expect([promoted.status, promoted.trips, promoted.statements]).toEqual([200, 1, 3]);
      const all = (await env.DB.prepare('select count(*) n from events where date between ? and ?')
        .bind(dayIn(-10), dayIn(10))
        .first<{ n: number }>())!.n;
      expect(JSON.parse(promoted.text)).toHaveLength(all);
      // And back: the member's view again, with the same token.
      await env.DB.prepare('update users set is_admin = 0 where id = ?').bind(anna.id).run();
      const demoted = await send('GET', path, { token: anna.token });
      expect([demoted.status, demoted.trips]).toEqual([200, 1]);
      expect(JSON.parse(demoted.text).map((e: any) => e.id)).toEqual(seen);
    } finally {
      await env.DB.prepare('update users set is_admin = 0 where id = ?').bind(anna.id).run();
    }
  });
});
