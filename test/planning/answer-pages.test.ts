/** GET and POST /api/answer/{id}/{answer}/{signature}: the one-click pages of an assignment mail. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { OutgoingMail } from '../../src/mail';
import { addMember, call, createUser, groupWith, json, press, type TestUser } from '../helpers/api';
import { dayIn } from '../helpers/events';
import { callWithMailbox } from '../helpers/mailbox';

/** A group with a cake every day, its admin and one member asked for a cake day; the links of the mail. */
async function asked(options: { language?: 'de' | 'en'; autoAssign?: boolean } = {}) {
  const { group, users } = await groupWith(1);
  const lead = users[0]!;
  await addMember(lead.id, group.id, 'admin');
  const anna: TestUser = await createUser({ language: options.language });
  await addMember(anna.id, group.id);
  await json(
    call('PUT', `/api/groups/${group.id}/schedule`, {
      token: lead.token,
      body: { rule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU', startDate: dayIn(-1), autoAssign: options.autoAssign ?? false },
    }),
    200,
  );
  const { res, mails } = await callWithMailbox('POST', `/api/groups/${group.id}/cake-days/${dayIn(3)}/assignment`, {
    token: lead.token,
    body: { userId: anna.id },
  });
  const assignment = await json(res, 201);
  const mail = mails[0] as OutgoingMail<'assignment'>;
  const path = (url: string) => new URL(url).pathname;
  return { group, lead, anna, assignment, mail, accept: path(mail.data.acceptUrl), decline: path(mail.data.declineUrl) };
}

const state = async (id: string) => {
  const row = await env.DB.prepare('select status, group_id, date from assignments where id = ?')
    .bind(id)
    .first<{ status: string; group_id: string; date: string }>();
  const cakes = await env.DB.prepare('select count(*) as n from events where group_id = ? and date = ?')
    .bind(row!.group_id, row!.date)
    .first<{ n: number }>();
  return { status: row!.status, cakes: cakes!.n };
};

describe('happy', () => {
  it('opening either link (as a mail scanner does) only shows the question and a button: nothing changes', async () => {
    const { assignment, accept, decline, mail } = await asked();
    expect(mail.template).toBe('assignment');
    for (const path of [accept, decline, accept]) {
      const res = await call('GET', path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
      const page = await res.text();
      expect(page).toContain('<form method="post">');
      expect(page).not.toMatch(/<script|\son[a-z]+=/i);
    }
    expect(await state(assignment.id)).toEqual({ status: 'pending', cakes: 0 });
  });

  it('pressing accept creates the cake; pressing it again changes nothing (409)', async () => {
    const { assignment, accept, decline } = await asked();
    const res = await press(accept);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Thank you');
    expect(await state(assignment.id)).toEqual({ status: 'accepted', cakes: 1 });
    expect((await press(accept)).status).toBe(409);
    expect((await press(decline)).status).toBe(409);
    expect((await call('GET', decline)).status).toBe(409);
    expect(await state(assignment.id)).toEqual({ status: 'accepted', cakes: 1 });
  });

  it('pressing decline declines it; with autoAssign the date goes to the next member', async () => {
    const { assignment, decline, lead } = await asked({ autoAssign: true });
    expect((await press(decline)).status).toBe(200);
    expect((await state(assignment.id)).status).toBe('declined');
    const next = await json(call('GET', '/api/user/assignments', { token: lead.token }), 200);
    expect(next).toMatchObject([{ date: dayIn(3), status: 'pending' }]);
  });

  it('speaks the assignee’s mail language', async () => {
    const { accept, mail } = await asked({ language: 'de' });
    expect(mail.language).toBe('de');
    const page = await (await call('GET', accept)).text();
    expect(page).toContain('<html lang="de">');
    expect(page).toContain('Ja, ich backe');
  });
});

describe('security', () => {
  it('a tampered signature, or one link’s signature on the other answer, gets a clear 403 page; nothing changes', async () => {
    const { assignment, accept, decline } = await asked();
    const signature = accept.split('/').at(-1)!;
    const flipped = `${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    for (const path of [accept.replace(signature, flipped), decline.replace(/[^/]+$/, signature)]) {
      for (const res of [await call('GET', path), await press(path)]) {
        expect(res.status).toBe(403);
        expect(await res.text()).toContain('not valid');
      }
    }
    // Another assignment's id under this signature.
    expect((await press(accept.replace(assignment.id, crypto.randomUUID()))).status).toBe(403);
    expect(await state(assignment.id)).toEqual({ status: 'pending', cakes: 0 });
  });

  it('a link whose date has passed gets a 410 page; nothing changes', async () => {
    const { assignment, accept } = await asked();
    await env.DB.prepare('update assignments set date = ? where id = ?').bind(dayIn(-2), assignment.id).run();
    const res = await press(accept);
    expect(res.status).toBe(410);
    expect(await res.text()).toContain('ran out');
    expect(await state(assignment.id)).toEqual({ status: 'pending', cakes: 0 });
  });
});
