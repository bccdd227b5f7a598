/**
 * GET and POST /api/answer/take/{id}/{userId}/{signature}: the "take it"
 * link of a hand-over offer's mail, one per member it was sent to.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { OutgoingMail } from '../../src/mail';
import { call, FORM_POST, groupWith, json, press, type TestUser } from '../helpers/api';
import { createEvent, dayIn } from '../helpers/events';
import { callWithMailbox } from '../helpers/mailbox';

/** Anna offers her cake to Ben and Carl; the path of each one's link. */
async function offered() {
  const { group, users } = await groupWith(3);
  const [anna, ben, carl] = users as [TestUser, TestUser, TestUser];
  const event = await createEvent(anna, { date: dayIn(4), description: 'Linzer Torte' });
  const { res, mails } = await callWithMailbox('POST', `/api/events/${event.id}/handover`, { token: anna.token });
  const handover = await json(res, 201);
  const linkOf = (user: TestUser) => {
    const mail = (mails as OutgoingMail<'handover_offered'>[]).find((m) => m.to === user.email)!;
    return new URL(mail.data.takeUrl!).pathname;
  };
  return { group, anna, ben, carl, event, handover, mails, linkOf };
}

const bakerOf = async (eventId: string) =>
  (await env.DB.prepare('select baker_id from events where id = ?').bind(eventId).first<{ baker_id: string }>())!.baker_id;

describe('happy', () => {
  it('each member gets their own link in the mail; opening it (as a scanner does) only shows the question', async () => {
    const { anna, ben, carl, event, mails, linkOf } = await offered();
    expect(mails.map((m) => m.to).sort()).toEqual([ben.email, carl.email].sort());
    expect(linkOf(ben)).not.toBe(linkOf(carl));
    expect(mails.every((m) => (m.data as { takeUrl: string }).takeUrl.startsWith('https://cake.test/api/answer/take/'))).toBe(
      true,
    );
    const res = await call('GET', linkOf(ben));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const page = await res.text();
    expect(page).toContain('<form method="post">');
    expect(page).toContain(anna.name);
    expect(page).not.toMatch(/<script|\son[a-z]+=/i);
    expect(await bakerOf(event.id)).toBe(anna.id);
  });

  it('pressing it takes the cake for the member it was sent to; the offerer is mailed; the next press finds it taken', async () => {
    const { anna, ben, carl, event, handover, linkOf } = await offered();
    const { res, mails } = await callWithMailbox('POST', linkOf(ben), {
      headers: FORM_POST,
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Thank you');
    expect(await bakerOf(event.id)).toBe(ben.id);
    expect(mails).toMatchObject([{ to: anna.email, template: 'handover_taken', data: { takerName: ben.name } }]);
    const seen = await json(call('GET', `/api/events/${event.id}`, { token: carl.token }), 200);
    expect(seen).toMatchObject({ bakerName: ben.name, description: '' });
    for (const path of [linkOf(carl), linkOf(ben)]) {
      const again = await press(path);
      expect(again.status).toBe(409);
      expect(await again.text()).toContain('taken over');
    }
    expect(await bakerOf(event.id)).toBe(ben.id);
    const stored = await env.DB.prepare('select status, taken_by from handovers where id = ?').bind(handover.id).first();
    expect(stored).toEqual({ status: 'taken', taken_by: ben.id });
  });

  it('speaks the member’s mail language', async () => {
    const { ben, linkOf } = await offered();
    await env.DB.prepare("update users set email_language = 'de' where id = ?").bind(ben.id).run();
    const page = await (await call('GET', linkOf(ben))).text();
    expect(page).toContain('<html lang="de">');
    expect(page).toContain('Ja, ich übernehme');
  });
});

describe('errors', () => {
  it('a withdrawn offer, a member away that day and a date that has come get their page; nothing changes', async () => {
    const { anna, ben, carl, event, handover, linkOf } = await offered();
    await json(call('POST', '/api/user/absences', { token: carl.token, body: { from: dayIn(3), to: dayIn(5) } }), 201);
    const away = await press(linkOf(carl));
    expect(away.status).toBe(409);
    expect(await away.text()).toContain('away');

    await env.DB.prepare('update events set date = ? where id = ?').bind(dayIn(-1), event.id).run();
    expect((await press(linkOf(ben))).status).toBe(410);
    await env.DB.prepare('update events set date = ? where id = ?').bind(dayIn(4), event.id).run();

    await json(call('DELETE', `/api/handovers/${handover.id}`, { token: anna.token }), 200);
    const withdrawn = await press(linkOf(ben));
    expect(withdrawn.status).toBe(409);
    expect(await withdrawn.text()).toContain('withdrawn');
    expect(await bakerOf(event.id)).toBe(anna.id);
  });
});

describe('security', () => {
  it('a link moved to another member, or with a tampered signature, gets a 403 page; nothing changes', async () => {
    const { anna, ben, carl, event, linkOf } = await offered();
    const path = linkOf(ben);
    const signature = path.split('/').at(-1)!;
    const flipped = `${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    // The same 16 bytes spelt otherwise: a spare bit of the last character set.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const respelt = signature.slice(0, -1) + alphabet[alphabet.indexOf(signature.at(-1)!) ^ 1];
    const links = [path.replace(ben.id, carl.id), path.replace(ben.id, anna.id), path.replace(signature, flipped)];
    for (const moved of [...links, path.replace(signature, respelt)]) {
      for (const res of [await call('GET', moved), await press(moved)]) {
        expect(res.status).toBe(403);
        expect(await res.text()).toContain('not valid');
      }
    }
    expect(await bakerOf(event.id)).toBe(anna.id);
  });

  it('a member who left the group (a global admin too), or whose account was deactivated, can no longer take it (404 page)', async () => {
    const { group, ben, carl, event, linkOf } = await offered();
    // A global admin sees every group's cakes, but only members take them.
    await env.DB.prepare('update users set is_admin = 1 where id = ?').bind(ben.id).run();
    await env.DB.prepare('delete from memberships where user_id = ? and group_id = ?').bind(ben.id, group.id).run();
    await env.DB.prepare('update users set is_active = 0 where id = ?').bind(carl.id).run();
    for (const path of [linkOf(ben), linkOf(carl)]) expect((await press(path)).status).toBe(404);
    expect(await bakerOf(event.id)).not.toBe(ben.id);
  });
});
