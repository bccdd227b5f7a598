/** DELETE /api/events/{id}: the baker while upcoming, an admin of the group, or a global admin. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { localDate } from '../../src/lib/time';
import { addMember, adminToken, call, expectProblem, groupWith, json, type TestUser } from '../helpers/api';
import { createEvent, dayIn, eventForm, neighboursOfBlock, pngFile, uploadPhoto } from '../helpers/events';

// Kiritimati (UTC+14) is always a calendar day ahead of Pago Pago (UTC-11).
const AHEAD = 'Pacific/Kiritimati';
const BEHIND = 'Pacific/Pago_Pago';

const remove = (token: string, eventId: string) => call('DELETE', `/api/events/${eventId}`, { token });
const photosOf = async (eventId: string) => (await env.PHOTOS.list({ prefix: `events/${eventId}/` })).objects;

describe('happy', () => {
  it('lets the baker delete their upcoming event: it is gone', async () => {
    const { users } = await groupWith(1);
    const [anna] = users as [TestUser];
    const upcoming = await createEvent(anna, { date: dayIn(3) });
    expect(await json(remove(anna.token, upcoming.id), 200)).toEqual({ message: expect.any(String) });
    await expectProblem(call('GET', `/api/events/${upcoming.id}`, { token: anna.token }), 404);
  });

  it('lets the baker delete while the date is still upcoming in the group’s time zone (UTC-11)', async () => {
    const behind = await groupWith(1, { timeZone: BEHIND });
    // Today in Kiritimati is still tomorrow in Pago Pago.
    const dayBefore = await createEvent(behind.users[0]!, { date: localDate(AHEAD) });
    await json(remove(behind.users[0]!.token, dayBefore.id), 200);
  });

  it('lets a group admin delete a past event with its ratings and photos, rows and R2 objects', async () => {
    const { group, users } = await groupWith(3);
    const [anna, ben, chef] = users as [TestUser, TestUser, TestUser];
    await addMember(chef.id, group.id, 'admin');
    const past = await json(
      call('POST', '/api/events', { token: anna.token, form: eventForm({ date: dayIn(-2) }, { image: pngFile() }) }),
      201,
    );
    const id = past.id;
    await json(call('POST', `/api/events/${id}/rate`, { token: ben.token, body: { stars: 4 } }), 200);
    await json(uploadPhoto(ben, id), 201);
    expect(await photosOf(id)).toHaveLength(2);

    const detail = await json(call('GET', `/api/events/${id}`, { token: chef.token }), 200);
    expect(detail.canDelete).toBe(true);
    await json(remove(chef.token, id), 200);
    expect(await photosOf(id)).toHaveLength(0);
    const left = await env.DB.batch([
      env.DB.prepare('select count(*) as n from ratings where event_id = ?').bind(id),
      env.DB.prepare('select count(*) as n from event_photos where event_id = ?').bind(id),
    ]);
    expect(left.map((r) => (r.results[0] as { n: number }).n)).toEqual([0, 0]);
  });

  it('lets a global admin delete any group’s past event', async () => {
    const { users } = await groupWith(1);
    const other = await createEvent(users[0]!, { date: dayIn(-4) });
    await json(remove(await adminToken(), other.id), 200);
  });
});

describe('bad input', () => {
  it('answers 404 for an event that is gone', async () => {
    const { users } = await groupWith(1);
    const [anna] = users as [TestUser];
    const upcoming = await createEvent(anna, { date: dayIn(3) });
    await json(remove(anna.token, upcoming.id), 200);
    await expectProblem(remove(anna.token, upcoming.id), 404);
  });
});

describe('security', () => {
  it('refuses another member the baker’s upcoming event (403)', async () => {
    const { users } = await groupWith(2);
    const [anna, ben] = users as [TestUser, TestUser];
    const upcoming = await createEvent(anna, { date: dayIn(3) });
    await expectProblem(remove(ben.token, upcoming.id), 403, 'forbidden');
  });

  it('refuses the baker a past event (403)', async () => {
    const { users } = await groupWith(1);
    const [anna] = users as [TestUser];
    const past = await createEvent(anna, { date: dayIn(-3) });
    await expectProblem(remove(anna.token, past.id), 403, 'forbidden');
  });

  it('refuses the baker on the event’s own day in the group’s time zone (UTC+14), keeping the event', async () => {
    const ahead = await groupWith(1, { timeZone: AHEAD });
    const onTheDay = await createEvent(ahead.users[0]!, { date: localDate(AHEAD) });
    await expectProblem(remove(ahead.users[0]!.token, onTheDay.id), 403, 'forbidden');
    await json(call('GET', `/api/events/${onTheDay.id}`, { token: ahead.users[0]!.token }), 200);
  });

  describe('another group', () => {
    const n = neighboursOfBlock();

    it('gets 404 for an event, past or upcoming, which stays with its photos', async () => {
      for (const e of [n.past, n.upcoming]) {
        await expectProblem(remove(n.olga.token, e.id), 404, 'not_found');
      }
      for (const e of [n.past, n.upcoming]) await json(call('GET', `/api/events/${e.id}`, { token: n.anna.token }), 200);
      expect(await photosOf(n.past.id)).toHaveLength(1);
    });
  });
});
