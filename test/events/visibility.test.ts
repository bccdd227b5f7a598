import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { addMember, adminToken, call, expectProblem, groupWith, json } from '../helpers/api';
import { createEvent, dayIn, eventForm, pngFile, uploadPhoto } from '../helpers/events';

describe('a second group never sees the first group’s events', () => {
  it('answers 404 everywhere and leaves them out of lists', async () => {
    const mine = await groupWith(2);
    const theirs = await groupWith(1);
    const [anna, ben] = mine.users as [any, any];
    const [olga] = theirs.users as [any];
    const past = await createEvent(anna, { date: dayIn(-1), description: 'secret' });
    const upcoming = await createEvent(anna, { date: dayIn(5) });
    await json(call('POST', `/api/events/${past.id}/rate`, { token: ben.token, body: { stars: 5 } }), 200);
    await json(uploadPhoto(ben, past.id), 201);
    const ownEvent = await createEvent(olga, { date: dayIn(-1) });

    for (const e of [past, upcoming]) {
      await expectProblem(call('GET', `/api/events/${e.id}`, { token: olga.token }), 404, 'not_found');
      await expectProblem(call('POST', `/api/events/${e.id}/rate`, { token: olga.token, body: { stars: 1 } }), 404, 'not_found');
      await expectProblem(call('GET', `/api/events/${e.id}/ics`, { token: olga.token }), 404, 'not_found');
      await expectProblem(uploadPhoto(olga, e.id), 404, 'not_found');
      await expectProblem(call('DELETE', `/api/events/${e.id}`, { token: olga.token }), 404, 'not_found');
    }
    const range = `start=${dayIn(-30)}&end=${dayIn(30)}`;
    const list = await json(call('GET', `/api/events?${range}`, { token: olga.token }), 200);
    expect(list.map((e: any) => e.id)).toEqual([ownEvent.id]);
    expect(await json(call('GET', `/api/events?${range}&groupId=${mine.group.id}`, { token: olga.token }), 200)).toEqual([]);
    const ranked = await json(call('GET', '/api/events/ranked?limit=100', { token: olga.token }), 200);
    expect(ranked.map((e: any) => e.id)).not.toContain(past.id);
    expect(await json(call('GET', `/api/events/ranked?groupId=${mine.group.id}`, { token: olga.token }), 200)).toEqual([]);

    // Nothing changed by the attempts.
    const detail = await json(call('GET', `/api/events/${past.id}`, { token: anna.token }), 200);
    expect(detail.rating.count).toBe(1);
    expect(detail.gallery).toHaveLength(1);
    expect((await env.PHOTOS.list({ prefix: `events/${past.id}/` })).objects).toHaveLength(1);
  });

  it('a non-member and an unknown id look the same', async () => {
    const { users } = await groupWith(1);
    const a = await expectProblem(call('GET', `/api/events/${crypto.randomUUID()}`, { token: users[0]!.token }), 404);
    expect(a.code).toBe('not_found');
  });

  it('a global admin sees every group’s events', async () => {
    const { group, users } = await groupWith(1);
    const event = await createEvent(users[0]!, { date: dayIn(-1) });
    const token = await adminToken();
    const detail = await json(call('GET', `/api/events/${event.id}`, { token }), 200);
    expect(detail).toMatchObject({ id: event.id, groupId: group.id, canDelete: true, canRate: false });
    const list = await json(call('GET', `/api/events?start=${dayIn(-2)}&end=${dayIn(0)}&groupId=${group.id}`, { token }), 200);
    expect(list.map((e: any) => e.id)).toEqual([event.id]);
    // Seeing is not belonging: only members rate.
    await expectProblem(call('POST', `/api/events/${event.id}/rate`, { token, body: { stars: 5 } }), 403, 'forbidden');
  });
});

describe('deleting an event', () => {
  it('the baker while upcoming; not other members, not the baker afterwards', async () => {
    const { users } = await groupWith(2);
    const [anna, ben] = users as [any, any];
    const upcoming = await createEvent(anna, { date: dayIn(3) });
    const past = await createEvent(anna, { date: dayIn(-3) });
    await expectProblem(call('DELETE', `/api/events/${upcoming.id}`, { token: ben.token }), 403, 'forbidden');
    await expectProblem(call('DELETE', `/api/events/${past.id}`, { token: anna.token }), 403, 'forbidden');
    expect(await json(call('DELETE', `/api/events/${upcoming.id}`, { token: anna.token }), 200)).toEqual({ message: expect.any(String) });
    await expectProblem(call('GET', `/api/events/${upcoming.id}`, { token: anna.token }), 404);
    await expectProblem(call('DELETE', `/api/events/${upcoming.id}`, { token: anna.token }), 404);
  });

  it('a group admin and a global admin at any time, with ratings and photos', async () => {
    const { group, users } = await groupWith(3);
    const [anna, ben, chef] = users as [any, any, any];
    await addMember(chef.id, group.id, 'admin');
    const past = await json(
      call('POST', '/api/events', { token: anna.token, form: eventForm({ date: dayIn(-2) }, { image: pngFile() }) }),
      201,
    );
    const id = past.id;
    await json(call('POST', `/api/events/${id}/rate`, { token: ben.token, body: { stars: 4 } }), 200);
    await json(uploadPhoto(ben, id), 201);
    expect((await env.PHOTOS.list({ prefix: `events/${id}/` })).objects).toHaveLength(2);

    const detail = await json(call('GET', `/api/events/${id}`, { token: chef.token }), 200);
    expect(detail.canDelete).toBe(true);
    await json(call('DELETE', `/api/events/${id}`, { token: chef.token }), 200);
    expect((await env.PHOTOS.list({ prefix: `events/${id}/` })).objects).toHaveLength(0);
    const left = await env.DB.batch([
      env.DB.prepare('select count(*) as n from ratings where event_id = ?').bind(id),
      env.DB.prepare('select count(*) as n from event_photos where event_id = ?').bind(id),
    ]);
    expect(left.map((r) => (r.results[0] as { n: number }).n)).toEqual([0, 0]);

    const other = await createEvent(anna, { date: dayIn(-4) });
    await json(call('DELETE', `/api/events/${other.id}`, { token: await adminToken() }), 200);
  });
});
