/** GET /api/events: the events of the caller's groups between two dates. */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { addMember, adminToken, call, createUser, expectProblem, groupWith, json, type TestUser } from '../helpers/api';
import { createEvent, dayIn, neighboursOfBlock } from '../helpers/events';

describe('happy', () => {
  it('shows the group’s events sorted by date, each with what the caller may do with it', async () => {
    const { users } = await groupWith(3);
    const [anna, ben, cara] = users as [TestUser, TestUser, TestUser];
    const upcoming = await createEvent(anna, { date: dayIn(7) });
    const past = await createEvent(ben, { date: dayIn(-1) });
    const list = await json(call('GET', `/api/events?start=${dayIn(-10)}&end=${dayIn(10)}`, { token: cara.token }), 200);
    expect(list.map((e: any) => e.id)).toEqual([past.id, upcoming.id]);
    expect(list[1]).toMatchObject({ isOwner: false, canDelete: false, canRate: false });
    expect(list[0]).toMatchObject({ isOwner: false, isFuture: false, canRate: true });
  });

  it('includes both ends of the range and sorts by date, then creation', async () => {
    const { users } = await groupWith(2);
    const [anna, ben] = users as [TestUser, TestUser];
    const lastOfMarch = await createEvent(anna, { date: '2027-03-31' });
    await createEvent(anna, { date: '2027-02-28' });
    const firstOfMarch = await createEvent(ben, { date: '2027-03-01' });
    await createEvent(ben, { date: '2027-04-01' });
    const alsoFirst = await createEvent(anna, { date: '2027-03-01' });
    const march = await json(call('GET', '/api/events?start=2027-03-01&end=2027-03-31', { token: ben.token }), 200);
    expect(march.map((e: any) => e.id)).toEqual([firstOfMarch.id, alsoFirst.id, lastOfMarch.id]);
  });

  it('shows a global admin any group’s events by groupId', async () => {
    const { group, users } = await groupWith(1);
    const event = await createEvent(users[0]!, { date: dayIn(-1) });
    const token = await adminToken();
    const list = await json(call('GET', `/api/events?start=${dayIn(-2)}&end=${dayIn(0)}&groupId=${group.id}`, { token }), 200);
    expect(list.map((e: any) => e.id)).toEqual([event.id]);
  });

  it('shows a global admin who joins a group that they may rate its cakes, on the next read', async () => {
    const { group, users } = await groupWith(1);
    const past = await createEvent(users[0]!, { date: dayIn(-1) });
    const admin = await createUser();
    await env.DB.prepare('update users set is_admin = 1 where id = ?').bind(admin.id).run();
    const path = `/api/events?start=${dayIn(-2)}&end=${dayIn(0)}&groupId=${group.id}`;
    const before = await json(call('GET', path, { token: admin.token }), 200);
    expect(before.map((e: any) => [e.id, e.canRate])).toEqual([[past.id, false]]);
    await addMember(admin.id, group.id);
    const after = await json(call('GET', path, { token: admin.token }), 200);
    expect(after.map((e: any) => [e.id, e.canRate])).toEqual([[past.id, true]]);
    const hallOfFame = await json(call('GET', `/api/events/ranked?groupId=${group.id}`, { token: admin.token }), 200);
    expect(hallOfFame).toEqual([]);
  });

  it('lists the events of a group whose stored time zone is an offset, as written before only IANA names were taken', async () => {
    const { group, users } = await groupWith(1);
    const past = await createEvent(users[0]!, { date: dayIn(-1) });
    await env.DB.prepare("update groups set time_zone = '+01:00' where id = ?").bind(group.id).run();
    const range = `start=${dayIn(-3)}&end=${dayIn(3)}`;
    for (const token of [users[0]!.token, await adminToken()]) {
      const list = await json(call('GET', `/api/events?${range}&groupId=${group.id}`, { token }), 200);
      expect(list.map((e: any) => e.id)).toEqual([past.id]);
      await json(call('GET', `/api/events/ranked?groupId=${group.id}`, { token }), 200);
    }
    await json(call('GET', `/api/events?${range}`, { token: users[0]!.token }), 200);
  });

  it('takes a range of 400 days', async () => {
    const { users } = await groupWith(1);
    expect(await json(call('GET', '/api/events?start=2026-01-01&end=2027-02-05', { token: users[0]!.token }), 200)).toEqual([]);
  });
});

describe('bad input', () => {
  let token: string;
  beforeAll(async () => {
    token = (await groupWith(1)).users[0]!.token;
  });

  it('needs start and end', async () => {
    await expectProblem(call('GET', '/api/events', { token }), 400, 'validation_failed');
    await expectProblem(call('GET', '/api/events?start=2026-01-01', { token }), 400, 'validation_failed');
  });

  it('refuses an impossible date and an end before the start', async () => {
    await expectProblem(call('GET', '/api/events?start=2026-02-30&end=2026-03-01', { token }), 400, 'validation_failed');
    await expectProblem(call('GET', '/api/events?start=2026-03-01&end=2026-02-01', { token }), 400, 'validation_failed');
  });

  it('refuses a range over 400 days', async () => {
    await expectProblem(call('GET', '/api/events?start=2026-01-01&end=2027-02-06', { token }), 400, 'validation_failed');
  });
});

describe('security', () => {
  const n = neighboursOfBlock();

  it('leaves another group’s events out of a member’s list', async () => {
    const list = await json(call('GET', `/api/events?start=${dayIn(-30)}&end=${dayIn(30)}`, { token: n.olga.token }), 200);
    expect(list.map((e: any) => e.id)).toEqual([n.olgasEvent.id]);
  });

  it('answers an empty list for another group’s id', async () => {
    const path = `/api/events?start=${dayIn(-30)}&end=${dayIn(30)}&groupId=${n.a.id}`;
    expect(await json(call('GET', path, { token: n.olga.token }), 200)).toEqual([]);
  });
});
