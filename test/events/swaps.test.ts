/** Swaps: asking another baker to exchange cake days, accepting (atomic) and declining. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { call, createGroup, expectProblem, groupWith, json, type TestUser, userIn } from '../helpers/api';
import { countedRequests } from '../helpers/d1-counter';
import { createEvent, dayIn } from '../helpers/events';
import { callWithMailbox } from '../helpers/mailbox';

const ask = (user: TestUser, eventId: string, withEventId: string) =>
  call('POST', `/api/events/${eventId}/swap`, { token: user.token, body: { withEventId } });
const accept = (user: TestUser, id: string) => call('POST', `/api/swaps/${id}/accept`, { token: user.token });
const decline = (user: TestUser, id: string) => call('POST', `/api/swaps/${id}/decline`, { token: user.token });

/** Two bakers of one group with a cake each (in 3 and in 6 days) and a third member. */
async function twoBakers() {
  const { group, users } = await groupWith(3);
  const [anna, ben, carl] = users as [TestUser, TestUser, TestUser];
  const a = await createEvent(anna, { date: dayIn(3), groupId: group.id, description: 'Apfelkuchen' });
  const b = await createEvent(ben, { date: dayIn(6), groupId: group.id, description: 'Bienenstich' });
  return { group, anna, ben, carl, a, b };
}

async function requested() {
  const world = await twoBakers();
  const swap = await json(ask(world.anna, world.a.id, world.b.id), 201);
  return { ...world, swap };
}

const row = (id: string) =>
  env.DB.prepare('select date, baker_id, sequence from events where id = ?')
    .bind(id)
    .first<{ date: string; baker_id: string; sequence: number }>();
const statusOf = (id: string) => env.DB.prepare('select status from swap_requests where id = ?').bind(id).first('status');

describe('happy', () => {
  it('lets a baker ask another to swap: a pending request, and the other baker is mailed', async () => {
    const { anna, ben, a, b } = await twoBakers();
    const { res, mails } = await callWithMailbox('POST', `/api/events/${a.id}/swap`, {
      token: anna.token,
      body: { withEventId: b.id },
    });
    expect(await json(res, 201)).toEqual({
      id: expect.any(String),
      eventId: a.id,
      withEventId: b.id,
      requestedBy: { id: anna.id, name: anna.name },
      status: 'pending',
      createdAt: expect.any(String),
    });
    expect(mails).toEqual([
      expect.objectContaining({
        to: ben.email,
        template: 'swap_requested',
        data: expect.objectContaining({ requesterName: anna.name, date: dayIn(3), withDate: dayIn(6) }),
      }),
    ]);
  });

  it('exchanges the two dates when the other baker accepts; each cake keeps its baker and description', async () => {
    const { anna, ben, a, b, swap } = await requested();
    const before = [await row(a.id), await row(b.id)];
    const { res, mails } = await callWithMailbox('POST', `/api/swaps/${swap.id}/accept`, { token: ben.token });
    const { events } = await json(res, 200);
    expect(events).toMatchObject([
      { id: a.id, date: dayIn(6), bakerId: anna.id, description: 'Apfelkuchen' },
      { id: b.id, date: dayIn(3), bakerId: ben.id, description: 'Bienenstich' },
    ]);
    expect((await row(a.id))!.sequence).toBe(before[0]!.sequence + 1);
    expect((await row(b.id))!.sequence).toBe(before[1]!.sequence + 1);
    expect(await statusOf(swap.id)).toBe('accepted');
    expect(mails).toEqual([
      expect.objectContaining({ to: anna.email, template: 'swap_answered', data: expect.objectContaining({ accepted: true }) }),
    ]);
  });

  it('leaves both cakes as they are when the other baker declines, and tells the requester', async () => {
    const { anna, ben, a, swap } = await requested();
    const { res, mails } = await callWithMailbox('POST', `/api/swaps/${swap.id}/decline`, { token: ben.token });
    expect(await json(res, 200)).toMatchObject({ id: swap.id, status: 'declined' });
    expect((await row(a.id))!.date).toBe(dayIn(3));
    expect(mails).toEqual([
      expect.objectContaining({ to: anna.email, template: 'swap_answered', data: expect.objectContaining({ accepted: false }) }),
    ]);
  });

  it('accepts in two D1 round trips: the check with the request, then the exchange', async () => {
    const { ben, swap } = await requested();
    const outcome = await countedRequests(createApp())('POST', `/api/swaps/${swap.id}/accept`, { token: ben.token });
    expect(outcome.status, outcome.text).toBe(200);
    expect(outcome.trips).toBe(2);
  });
});

describe('bad input', () => {
  it('refuses a swap with the same cake (400), with one’s own other cake or a cake whose date has come (409)', async () => {
    const { group, anna, a, b } = await twoBakers();
    await expectProblem(ask(anna, a.id, a.id), 400, 'validation_failed');
    const own = await createEvent(anna, { date: dayIn(9), groupId: group.id });
    await expectProblem(ask(anna, a.id, own.id), 409, 'conflict');
    const today = await createEvent(anna, { date: dayIn(0), groupId: group.id });
    await expectProblem(ask(anna, today.id, b.id), 409, 'conflict');
    expect(
      await env.DB.prepare('select count(*) as n from swap_requests where event_id in (?, ?)').bind(a.id, today.id).first('n'),
    ).toBe(0);
  });

  it('refuses a second pending request for the same pair, and unknown ids (404)', async () => {
    const { anna, ben, a, b } = await requested();
    await expectProblem(ask(anna, a.id, b.id), 409, 'conflict');
    await expectProblem(ask(anna, a.id, crypto.randomUUID()), 404, 'not_found');
    await expectProblem(accept(ben, crypto.randomUUID()), 404, 'not_found');
  });

  it('cancels the request when either cake changed since it was made (409), and changes nothing', async () => {
    const { anna, ben, a, b, swap } = await requested();
    await json(call('PATCH', `/api/events/${a.id}`, { token: anna.token, body: { date: dayIn(4) } }), 200);
    await expectProblem(accept(ben, swap.id), 409, 'conflict');
    expect(await statusOf(swap.id)).toBe('cancelled');
    expect((await row(a.id))!.date).toBe(dayIn(4));
    expect((await row(b.id))!.date).toBe(dayIn(6));
  });

  it('ends a pending request when either cake changes hands; a new description leaves it pending', async () => {
    const { ben, carl, b, swap } = await requested();
    const handover = await json(call('POST', `/api/events/${b.id}/handover`, { token: ben.token }), 201);
    await json(call('POST', `/api/handovers/${handover.id}/take`, { token: carl.token }), 200);
    expect(await statusOf(swap.id)).toBe('cancelled');
    await expectProblem(accept(carl, swap.id), 409, 'conflict');

    const other = await requested();
    await json(call('PATCH', `/api/events/${other.b.id}`, { token: other.ben.token, body: { description: 'Same day' } }), 200);
    expect(await statusOf(other.swap.id)).toBe('pending');
  });

  it('exchanges nothing when a cake changed between the check and the exchange: the batch cancels the request', async () => {
    const { ben, a, b, swap } = await requested();
    // A change the request has not heard of (straight in D1, as if it came in the meantime).
    await env.DB.prepare('update events set date = ? where id = ?').bind(dayIn(8), a.id).run();
    await expectProblem(accept(ben, swap.id), 409, 'conflict');
    expect(await statusOf(swap.id)).toBe('cancelled');
    expect([(await row(a.id))!.date, (await row(b.id))!.date]).toEqual([dayIn(8), dayIn(6)]);
  });

  it('refuses acting on a request that has ended (409)', async () => {
    const { ben, swap } = await requested();
    await json(decline(ben, swap.id), 200);
    await expectProblem(accept(ben, swap.id), 409, 'conflict');
    await expectProblem(decline(ben, swap.id), 409, 'conflict');
  });
});

describe('security', () => {
  it('lets only the baker ask (403), and never with a cake of another group (404)', async () => {
    const { anna, carl, a, b } = await twoBakers();
    await expectProblem(ask(carl, a.id, b.id), 403, 'forbidden');
    const stranger = await userIn((await createGroup()).id);
    const theirs = await createEvent(stranger, { date: dayIn(5) });
    await expectProblem(ask(anna, a.id, theirs.id), 404, 'not_found');
  });

  it('lets only the other baker answer (403); other groups do not see the request (404)', async () => {
    const { anna, carl, swap } = await requested();
    await expectProblem(accept(anna, swap.id), 403, 'forbidden');
    await expectProblem(decline(carl, swap.id), 403, 'forbidden');
    const stranger = await userIn((await createGroup()).id);
    await expectProblem(accept(stranger, swap.id), 404, 'not_found');
    expect(await statusOf(swap.id)).toBe('pending');
  });
});
