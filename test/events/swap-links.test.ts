/**
 * GET and POST /api/answer/swap/{id}/{userId}/{answer}/{signature}: the
 * accept and decline links of a swap request's mail, for the other baker.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { OutgoingMail } from '../../src/mail';
import { call, FORM_POST, groupWith, press, type TestUser } from '../helpers/api';
import { createEvent, dayIn } from '../helpers/events';
import { callWithMailbox } from '../helpers/mailbox';

/** Anna asks Ben to swap her cake (in 3 days) with his (in 5 days); the paths of Ben's two links. */
async function requested() {
  const { group, users } = await groupWith(3);
  const [anna, ben, carl] = users as [TestUser, TestUser, TestUser];
  const mine = await createEvent(anna, { date: dayIn(3) });
  const theirs = await createEvent(ben, { date: dayIn(5) });
  const { res, mails } = await callWithMailbox('POST', `/api/events/${mine.id}/swap`, {
    token: anna.token,
    body: { withEventId: theirs.id },
  });
  expect(res.status).toBe(201);
  const swap = (await res.json()) as { id: string };
  const mail = mails[0] as OutgoingMail<'swap_requested'>;
  const path = (url: string | undefined) => new URL(url!).pathname;
  return {
    group,
    anna,
    ben,
    carl,
    mine,
    theirs,
    swap,
    mail,
    accept: path(mail.data.acceptUrl),
    decline: path(mail.data.declineUrl),
  };
}

const dateOf = async (eventId: string) =>
  (await env.DB.prepare('select date from events where id = ?').bind(eventId).first<{ date: string }>())!.date;
const statusOf = async (id: string) =>
  (await env.DB.prepare('select status from swap_requests where id = ?').bind(id).first<{ status: string }>())!.status;

describe('happy', () => {
  it('the other baker’s mail carries both links; opening them (as a scanner does) only asks', async () => {
    const { anna, ben, swap, mail, accept, decline } = await requested();
    expect(mail).toMatchObject({ to: ben.email, template: 'swap_requested' });
    for (const path of [accept, decline]) {
      const res = await call('GET', path);
      expect(res.status).toBe(200);
      const page = await res.text();
      expect(page).toContain('<form method="post">');
      expect(page).toContain(anna.name);
      expect(page).not.toMatch(/<script|\son[a-z]+=/i);
    }
    expect(await statusOf(swap.id)).toBe('pending');
  });

  it('pressing accept exchanges the dates and mails the requester; a second press finds it answered', async () => {
    const { anna, mine, theirs, swap, accept, decline } = await requested();
    const { res, mails } = await callWithMailbox('POST', accept, {
      headers: FORM_POST,
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Swapped');
    expect([await dateOf(mine.id), await dateOf(theirs.id)]).toEqual([dayIn(5), dayIn(3)]);
    expect(mails).toMatchObject([{ to: anna.email, template: 'swap_answered', data: { accepted: true } }]);
    for (const path of [accept, decline]) expect((await press(path)).status).toBe(409);
    expect(await statusOf(swap.id)).toBe('accepted');
  });

  it('pressing decline keeps both days and mails the requester', async () => {
    const { anna, mine, swap, decline } = await requested();
    const { res, mails } = await callWithMailbox('POST', decline, {
      headers: FORM_POST,
    });
    expect(res.status).toBe(200);
    expect(await statusOf(swap.id)).toBe('declined');
    expect(await dateOf(mine.id)).toBe(dayIn(3));
    expect(mails).toMatchObject([{ to: anna.email, template: 'swap_answered', data: { accepted: false } }]);
  });
});

describe('errors', () => {
  it('a request cancelled by a change of either cake gets a 409 page; nothing is exchanged', async () => {
    const { anna, mine, theirs, swap, accept } = await requested();
    await call('PATCH', `/api/events/${mine.id}`, { token: anna.token, body: { date: dayIn(4) } });
    const res = await press(accept);
    expect(res.status).toBe(409);
    expect(await res.text()).toContain('cancelled');
    expect([await dateOf(mine.id), await dateOf(theirs.id)]).toEqual([dayIn(4), dayIn(5)]);
    expect(await statusOf(swap.id)).toBe('cancelled');
  });
});

describe('security', () => {
  it('a link moved to another baker or answer, or tampered with, gets a 403 page; nothing changes', async () => {
    const { anna, ben, carl, swap, accept, decline } = await requested();
    const signature = accept.split('/').at(-1)!;
    const flipped = `${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    const moved = [
      accept.replace(ben.id, carl.id),
      accept.replace(ben.id, anna.id),
      decline.replace(/[^/]+$/, signature),
      accept.replace(signature, flipped),
    ];
    for (const path of moved) {
      for (const res of [await call('GET', path), await press(path)]) {
        expect(res.status).toBe(403);
        expect(await res.text()).toContain('not valid');
      }
    }
    expect(await statusOf(swap.id)).toBe('pending');
  });
});
