/** Hand-overs: offering an upcoming cake, listing, taking (one winner) and withdrawing offers. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { createDb } from '../../src/db/client';
import { countDueCakes } from '../../src/planning/ledger';
import { adminToken, call, createGroup, expectProblem, groupWith, json, type TestUser, userIn } from '../helpers/api';
import { countedRequests } from '../helpers/d1-counter';
import { createEvent, dayIn, eventForm, photoKeys, pngFile } from '../helpers/events';
import { callWithMailbox } from '../helpers/mailbox';

const offer = (user: TestUser | string, eventId: string, body?: unknown) =>
  call('POST', `/api/events/${eventId}/handover`, { token: typeof user === 'string' ? user : user.token, body });
const take = (user: TestUser | string, id: string) =>
  call('POST', `/api/handovers/${id}/take`, { token: typeof user === 'string' ? user : user.token });
const withdraw = (user: TestUser | string, id: string) =>
  call('DELETE', `/api/handovers/${id}`, { token: typeof user === 'string' ? user : user.token });
const list = (user: TestUser | string, groupId: string) =>
  call('GET', `/api/groups/${groupId}/handovers`, { token: typeof user === 'string' ? user : user.token });

/** A group of `members`, the first of whom bakes an upcoming cake and offers it. */
async function offered(members = 3, body: { date: string; description?: string } = { date: dayIn(4), description: 'Nusstorte' }) {
  const { group, users } = await groupWith(members);
  const baker = users[0]!;
  const event = await createEvent(baker, { groupId: group.id, ...body });
  const handover = await json(offer(baker, event.id, { message: 'I am ill' }), 201);
  return { group, users, baker, event, handover };
}

const eventRow = (id: string) =>
  env.DB.prepare('select baker_id, description, cover_photo_key, allergens, suitable_for, sequence from events where id = ?')
    .bind(id)
    .first<{
      baker_id: string;
      description: string;
      cover_photo_key: string | null;
      allergens: number | null;
      suitable_for: number;
      sequence: number;
    }>();

describe('happy', () => {
  it('lets the baker offer an upcoming cake: the group lists it and its other active members are mailed', async () => {
    const { group, users } = await groupWith(3);
    const [baker, member] = users as [TestUser, TestUser];
    const event = await createEvent(baker, { date: dayIn(4), groupId: group.id });
    const { res, mails } = await callWithMailbox('POST', `/api/events/${event.id}/handover`, {
      token: baker.token,
      body: { message: 'Fever, sorry' },
    });
    const handover = await json(res, 201);
    expect(handover).toEqual({
      id: expect.any(String),
      eventId: event.id,
      groupId: group.id,
      date: dayIn(4),
      offeredBy: { id: baker.id, name: baker.name },
      message: 'Fever, sorry',
      status: 'open',
      takenBy: null,
      createdAt: expect.any(String),
    });
    expect(mails.map((m) => [m.template, m.to]).sort()).toEqual(
      users
        .slice(1)
        .map((u) => ['handover_offered', u.email])
        .sort(),
    );
    expect(mails[0]!.data).toMatchObject({ offererName: baker.name, date: dayIn(4), message: 'Fever, sorry' });
    expect(await json(list(member, group.id), 200)).toEqual([handover]);
    expect(await json(list(await adminToken(), group.id), 200)).toEqual([handover]);
  });

  it('accepts an offer without a body', async () => {
    const { group, users } = await groupWith(2);
    const event = await createEvent(users[0]!, { date: dayIn(2), groupId: group.id });
    expect(await json(offer(users[0]!, event.id), 201)).toMatchObject({ message: '', status: 'open' });
  });

  it('makes the taker the baker, clears what the former baker said (cover photo included) and mails the offerer', async () => {
    const { group, users } = await groupWith(3);
    const [baker, taker] = users as [TestUser, TestUser];
    const form = eventForm(
      { date: dayIn(5), groupId: group.id, description: 'Sachertorte', allergens: ['eggs'], suitableFor: ['vegetarian'] },
      { image: pngFile() },
    );
    const { event } = await json(call('POST', '/api/events', { token: baker.token, form }), 201);
    const before = await eventRow(event.id);
    expect(before!.cover_photo_key).toBeTruthy();
    expect(await photoKeys()).toContain(before!.cover_photo_key);
    const handover = await json(offer(baker, event.id), 201);

    const { res, mails } = await callWithMailbox('POST', `/api/handovers/${handover.id}/take`, { token: taker.token });
    const body = await json(res, 200);
    expect(body.handover).toMatchObject({ id: handover.id, status: 'taken', takenBy: { id: taker.id, name: taker.name } });
    expect(body.event).toMatchObject({
      id: event.id,
      date: dayIn(5),
      bakerId: taker.id,
      bakerName: taker.name,
      description: '',
      allergens: null,
      suitableFor: [],
      isOwner: true,
    });
    expect(body.event.coverPhotoUrl ?? null).toBeNull();
    const after = await eventRow(event.id);
    expect(after).toMatchObject({ baker_id: taker.id, description: '', cover_photo_key: null, allergens: null, suitable_for: 0 });
    expect(after!.sequence).toBe(before!.sequence + 1);
    expect(await photoKeys()).not.toContain(before!.cover_photo_key);
    expect(mails).toEqual([
      expect.objectContaining({
        to: baker.email,
        template: 'handover_taken',
        data: expect.objectContaining({ takerName: taker.name }),
      }),
    ]);
    expect(await json(list(taker, group.id), 200)).toEqual([]);
  });

  it('lets exactly one of 20 members who take at once win; the others get 409 already_taken', { timeout: 120_000 }, async () => {
    const { event, handover, users } = await offered(21);
    const takers = users.slice(1);
    const answers = await Promise.all(takers.map((u) => take(u, handover.id)));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    for (const res of answers.filter((r) => r.status === 409)) await expectProblem(res, 409, 'already_taken');
    const winner = takers[statuses.indexOf(200)]!;
    expect((await eventRow(event.id))!.baker_id).toBe(winner.id);
    const { results } = await env.DB.prepare('select status, taken_by from handovers where event_id = ?').bind(event.id).all();
    expect(results).toEqual([{ status: 'taken', taken_by: winner.id }]);
  });

  it('leaves the ledger to charge the taker once the day comes, never the offerer', async () => {
    const { group, users, event, handover } = await offered(2);
    const [anna, ben] = users as [TestUser, TestUser];
    await json(take(ben, handover.id), 200);
    // The day comes, and the ledger counts the cake as its daily run would.
    await env.DB.prepare('update events set date = ? where id = ?').bind(dayIn(0), event.id).run();
    await countDueCakes(createDb(env.DB), { id: group.id, timeZone: group.timeZone, startDate: dayIn(-7) }, dayIn(0));
    const baked = (id: string) =>
      env.DB.prepare('select cakes_baked from memberships where user_id = ? and group_id = ?')
        .bind(id, group.id)
        .first('cakes_baked');
    expect(await baked(ben.id)).toBe(1);
    expect(await baked(anna.id)).toBe(0);
  });

  it('lets the offerer, or an admin of the group, withdraw an open offer', async () => {
    const { group, baker, handover } = await offered(2);
    expect(await json(withdraw(baker, handover.id), 200)).toMatchObject({ id: handover.id, status: 'withdrawn' });
    expect(await json(list(baker, group.id), 200)).toEqual([]);

    const second = await offered(2);
    const groupAdmin = await userIn(second.group.id);
    await json(
      call('POST', '/api/admin/groups/set-role', {
        token: await adminToken(),
        body: { userId: groupAdmin.id, groupId: second.group.id, role: 'admin' },
      }),
      200,
    );
    expect(await json(withdraw(groupAdmin, second.handover.id), 200)).toMatchObject({ status: 'withdrawn' });
  });

  it('ends an offer by itself when its date comes (expired) or its event is deleted', async () => {
    const { group, users, event, handover, baker } = await offered(2);
    const member = users[1]!;
    // The date comes: today in the group's time zone.
    await env.DB.prepare('update events set date = ? where id = ?').bind(dayIn(0), event.id).run();
    expect(await json(list(member, group.id), 200)).toEqual([]);
    await expectProblem(take(member, handover.id), 409, 'conflict');
    await expectProblem(withdraw(baker, handover.id), 409, 'conflict');

    const other = await offered(2);
    await json(call('DELETE', `/api/events/${other.event.id}`, { token: other.baker.token }), 200);
    expect(await env.DB.prepare('select count(*) as n from handovers where id = ?').bind(other.handover.id).first('n')).toBe(0);
  });

  it('goes with the account of its offerer, and with the cake when its taker leaves (their upcoming cakes go)', async () => {
    const first = await offered(2);
    await json(call('DELETE', '/api/user', { token: first.baker.token, body: { password: first.baker.password } }), 200);
    expect(await env.DB.prepare('select count(*) as n from handovers where id = ?').bind(first.handover.id).first('n')).toBe(0);

    const second = await offered(3);
    const taker = second.users[1]!;
    await json(take(taker, second.handover.id), 200);
    await json(call('DELETE', '/api/user', { token: taker.token, body: { password: taker.password } }), 200);
    expect(await env.DB.prepare('select count(*) as n from events where id = ?').bind(second.event.id).first('n')).toBe(0);
    expect(await env.DB.prepare('select count(*) as n from handovers where id = ?').bind(second.handover.id).first('n')).toBe(0);
  });

  it('takes in two D1 round trips: the check with the offer, then the take', async () => {
    const { users, handover } = await offered(2);
    const outcome = await countedRequests(createApp())('POST', `/api/handovers/${handover.id}/take`, { token: users[1]!.token });
    expect(outcome.status, outcome.text).toBe(200);
    expect(outcome.trips).toBe(2);
  });
});

describe('bad input', () => {
  it('refuses to offer a cake whose date has come, and a second offer of the same cake (409)', async () => {
    const { group, users } = await groupWith(2);
    const baker = users[0]!;
    const today = await createEvent(baker, { date: dayIn(0), groupId: group.id });
    await expectProblem(offer(baker, today.id), 409, 'conflict');
    const upcoming = await createEvent(baker, { date: dayIn(3), groupId: group.id });
    await json(offer(baker, upcoming.id), 201);
    await expectProblem(offer(baker, upcoming.id), 409, 'conflict');
    expect(await env.DB.prepare('select count(*) as n from handovers where event_id = ?').bind(upcoming.id).first('n')).toBe(1);
  });

  it('refuses a message over 500 characters (400) and an unknown event or offer (404)', async () => {
    const { group, users } = await groupWith(2);
    const event = await createEvent(users[0]!, { date: dayIn(3), groupId: group.id });
    await expectProblem(offer(users[0]!, event.id, { message: 'x'.repeat(501) }), 400, 'validation_failed');
    expect(await env.DB.prepare('select count(*) as n from handovers where event_id = ?').bind(event.id).first('n')).toBe(0);
    await expectProblem(offer(users[0]!, crypto.randomUUID()), 404, 'not_found');
    await expectProblem(take(users[1]!, crypto.randomUUID()), 404, 'not_found');
    await expectProblem(withdraw(users[0]!, crypto.randomUUID()), 404, 'not_found');
  });

  it('refuses the offerer taking their own offer (409), and acting on an ended offer (409)', async () => {
    const { baker, users, handover } = await offered(3);
    await expectProblem(take(baker, handover.id), 409, 'conflict');
    await json(withdraw(baker, handover.id), 200);
    await expectProblem(take(users[1]!, handover.id), 409, 'conflict');
    await expectProblem(withdraw(baker, handover.id), 409, 'conflict');
  });

  it('refuses a member away that day, naming the reason, and changes nothing', async () => {
    const { users, handover, event } = await offered(2);
    const away = users[1]!;
    await json(call('POST', '/api/user/absences', { token: away.token, body: { from: dayIn(3), to: dayIn(5) } }), 201);
    const problem = await expectProblem(take(away, handover.id), 409, 'conflict');
    expect(problem.detail).toMatch(/away/);
    expect((await eventRow(event.id))!.baker_id).toBe(users[0]!.id);
  });
});

describe('security', () => {
  it('lets only the baker offer (another member: 403; another group: 404)', async () => {
    const { group, users } = await groupWith(2);
    const event = await createEvent(users[0]!, { date: dayIn(3), groupId: group.id });
    await expectProblem(offer(users[1]!, event.id), 403, 'forbidden');
    const stranger = await userIn((await createGroup()).id);
    await expectProblem(offer(stranger, event.id), 404, 'not_found');
  });

  it('hides a group’s offers and its offers from other groups (404)', async () => {
    const { group, handover } = await offered(2);
    const stranger = await userIn((await createGroup()).id);
    await expectProblem(list(stranger, group.id), 404, 'not_found');
    await expectProblem(take(stranger, handover.id), 404, 'not_found');
    await expectProblem(withdraw(stranger, handover.id), 404, 'not_found');
  });

  it('refuses a global admin who is not a member taking (403), and a plain member withdrawing (403)', async () => {
    const { users, handover } = await offered(3);
    await expectProblem(take(await adminToken(), handover.id), 403, 'forbidden');
    await expectProblem(withdraw(users[1]!, handover.id), 403, 'forbidden');
  });
});
