/**
 * Event list pages asked for again (src/lib/remembered-pages.ts with the
 * events version): answered as before in one round trip while nothing they
 * show changed, afresh as soon as something did, and per caller (each sees
 * their own stars and photos as theirs).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { adminToken, call, groupWith, json } from '../helpers/api';
import { countedRequests, pageReader } from '../helpers/d1-counter';
import { createEvent, dayIn, uploadPhoto } from '../helpers/events';

const app = createApp();
const send = countedRequests(app);

beforeAll(async () => {
  await adminToken();
  await send('GET', '/api/system/healthcheck'); // the app's one-time admin bootstrap
});

const read = pageReader(send);

const rate = (token: string, id: string, stars: number) => json(call('POST', `/api/events/${id}/rate`, { token, body: { stars } }), 200);

async function story() {
  const { group, users: [anna, ben, cara] } = await groupWith(3);
  const past = await createEvent(ben!, { date: dayIn(-2) });
  await rate(anna!.token, past.id, 4);
  const month = `/api/events?start=${dayIn(-20)}&end=${dayIn(20)}&groupId=${group.id}`;
  const ranked = `/api/events/ranked?groupId=${group.id}`;
  return { group, anna: anna!, ben: ben!, cara: cara!, past, month, ranked };
}

describe('happy', () => {
  it('a month or the Hall of Fame asked again: the same body, one trip, no event read', async () => {
    const s = await story();
    for (const path of [s.month, s.ranked, '/api/events/ranked']) {
      const first = await read(path, s.cara.token);
      const again = await read(path, s.cara.token);
      expect(again.text).toBe(first.text);
      expect([first.trips, first.statements, again.trips, again.statements]).toEqual([1, 3, 1, 2]);
    }
  });

  it('shows what changed since: a rating, a photo, a new event, a deletion', async () => {
    const s = await story();
    await read(s.ranked, s.cara.token);
    await read(s.month, s.cara.token);

    await rate(s.cara.token, s.past.id, 2);
    const rated = await read(s.ranked, s.cara.token);
    expect(rated.body[0].rating).toEqual({ average: 3, count: 2, myRating: 2 });
    expect(rated.trips).toBe(2);

    await json(uploadPhoto(s.anna, s.past.id), 201);
    expect((await read(s.month, s.cara.token)).body.find((e) => e.id === s.past.id).gallery).toHaveLength(1);

    const upcoming = await createEvent(s.anna, { date: dayIn(5) });
    expect((await read(s.month, s.cara.token)).body.map((e) => e.id)).toContain(upcoming.id);

    await json(call('DELETE', `/api/events/${upcoming.id}`, { token: s.anna.token }), 200);
    expect((await read(s.month, s.cara.token)).body.map((e) => e.id)).not.toContain(upcoming.id);
  });
});

describe('security', () => {
  it('each caller gets their own page: their stars, their photos as theirs', async () => {
    const s = await story();
    await json(uploadPhoto(s.anna, s.past.id), 201);
    const forAnna = await read(s.month, s.anna.token);
    await read(s.month, s.anna.token);
    const forCara = await read(s.month, s.cara.token);
    const mine = (page: any[]) => page.find((e) => e.id === s.past.id);
    expect([mine(forAnna.body).rating.myRating, mine(forAnna.body).gallery[0].isMine]).toEqual([4, true]);
    expect([mine(forCara.body).rating.myRating, mine(forCara.body).gallery[0].isMine]).toEqual([0, false]);
  });

  it('a caller who left the group gets an empty page, not the remembered one', async () => {
    const s = await story();
    expect((await read(s.month, s.cara.token)).body.length).toBeGreaterThan(0);
    await read(s.month, s.cara.token);
    await json(call('DELETE', `/api/admin/groups/${s.group.id}/members/${s.cara.id}`, { token: await adminToken() }), 200);
    expect((await read(s.month, s.cara.token)).body).toEqual([]);
  });
});
