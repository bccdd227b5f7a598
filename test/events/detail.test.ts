/** GET /api/events/{id}: one event with its gallery and ratings. */
import { describe, expect, it } from 'vitest';
import { adminToken, call, expectProblem, groupWith, json, type TestUser } from '../helpers/api';
import { createEvent, dayIn, neighboursOfBlock, pathOf, uploadPhoto } from '../helpers/events';

describe('happy', () => {
  it('shows the gallery and the ratings with the caller’s own vote', async () => {
    const { users } = await groupWith(3);
    const [anna, ben, cara] = users as [TestUser, TestUser, TestUser];
    const past = await createEvent(ben, { date: dayIn(-1) });
    await json(call('POST', `/api/events/${past.id}/rate`, { token: anna.token, body: { stars: 4 } }), 200);
    await json(call('POST', `/api/events/${past.id}/rate`, { token: cara.token, body: { stars: 5 } }), 200);
    const item = await json(uploadPhoto(cara, past.id), 201);
    const detail = await json(call('GET', `/api/events/${past.id}`, { token: anna.token }), 200);
    expect(detail.rating).toEqual({ average: 4.5, count: 2, myRating: 4 });
    expect(detail.gallery).toEqual([{ ...item, isMine: false, url: expect.any(String) }]);
    expect((await call('GET', pathOf(detail.gallery[0].url))).status).toBe(200);
  });

  it('shows a global admin any group’s event, which it may delete but not rate', async () => {
    const { group, users } = await groupWith(1);
    const event = await createEvent(users[0]!, { date: dayIn(-1) });
    const detail = await json(call('GET', `/api/events/${event.id}`, { token: await adminToken() }), 200);
    expect(detail).toMatchObject({ id: event.id, groupId: group.id, canDelete: true, canRate: false });
  });
});

describe('bad input', () => {
  it('answers an unknown id with 404', async () => {
    const { users } = await groupWith(1);
    const a = await expectProblem(call('GET', `/api/events/${crypto.randomUUID()}`, { token: users[0]!.token }), 404);
    expect(a.code).toBe('not_found');
  });
});

describe('security', () => {
  const n = neighboursOfBlock();

  it('answers another group’s member 404 for an event, past or upcoming, as for an unknown id', async () => {
    for (const e of [n.past, n.upcoming]) {
      await expectProblem(call('GET', `/api/events/${e.id}`, { token: n.olga.token }), 404, 'not_found');
    }
  });
});
