import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import worker from '../../src/index';
import type { OutgoingMail } from '../../src/mail';
import { isDigest } from '../../src/mail/new-accounts';
import { describe, expect, it } from 'vitest';
import { adminToken, call, createUser, json } from '../helpers/api';
import { makeGlobalAdmin } from '../helpers/admin';
import { callWithMailbox } from '../helpers/mailbox';

let n = 0;
const fresh = () => ({ name: `Carla ${++n}`, email: `carla-${Date.now()}-${n}@cake.test`, password: `Torte-${n}-Geheim!` });

/** Closes the new-account mail window, as ten quiet minutes would (other tests register accounts all the time). */
const quietSpell = () => env.DB.prepare("delete from write_budgets where key = 'new-account-mail'").run();
const mailsOnly = (queued: unknown[]) => queued.filter((m): m is OutgoingMail => !isDigest(m));

describe('register notifies the active global admins', () => {
  it('mails every active global admin in their email language, and no inactive one', async () => {
    await adminToken(); // the bootstrapped admin exists and is active
    const activeAdmin = await createUser({ language: 'de' });
    await makeGlobalAdmin(activeAdmin.id);
    const inactiveAdmin = await createUser({ active: false });
    await makeGlobalAdmin(inactiveAdmin.id);
    const member = await createUser();

    const body = fresh();
    await quietSpell();
    const { res, mails: queued } = await callWithMailbox('POST', '/api/auth/register', { body });
    await json(res, 201);
    const mails = mailsOnly(queued);

    const notices = mails.filter((m) => m.template === 'new_account');
    expect(notices).toHaveLength(mails.length);
    const recipients = notices.map((m) => m.to).sort();
    const activeAdmins = (
      await env.DB.prepare('select email from users where is_admin = 1 and is_active = 1').all<{ email: string }>()
    ).results.map((r) => r.email);
    expect(recipients).toEqual([...activeAdmins].sort());
    expect(recipients).toContain(activeAdmin.email);
    expect(recipients).toContain(env.ADMIN_EMAIL!.toLowerCase());
    expect(recipients).not.toContain(inactiveAdmin.email);
    expect(recipients).not.toContain(member.email);
    expect(notices.find((m) => m.to === activeAdmin.email)).toMatchObject({
      language: 'de',
      data: { name: body.name, email: body.email },
    });
  });
});

describe('register normalizes the email', () => {
  it('stores it trimmed and lower-cased; login and the admin notice use that form', async () => {
    const admin = await adminToken(); // an active admin to notify
    const body = fresh();
    const typed = `  ${body.email.toUpperCase()}\t `;
    await quietSpell();
    const { res, mails: queued } = await callWithMailbox('POST', '/api/auth/register', { body: { ...body, email: typed } });
    const mails = mailsOnly(queued);
    const { userId } = await json(res, 201);

    const row = await env.DB.prepare('select email from users where id = ?').bind(userId).first<{ email: string }>();
    expect(row!.email).toBe(body.email);
    expect(mails.length).toBeGreaterThan(0);
    for (const mail of mails) expect(mail.data).toMatchObject({ email: body.email });

    // The same address typed differently is taken.
    const again = await call('POST', '/api/auth/register', { body: { ...body, email: ` ${body.email} ` } });
    expect(again.status).toBe(409);

    await json(call('PUT', `/api/admin/users/${userId}/status`, { token: admin, body: { isActive: true } }), 200);
    const login = await json(call('POST', '/api/auth/login', { body: { email: typed, password: body.password } }), 200);
    expect(login.user.email).toBe(body.email);
  });
});

describe('new-account mails to admins are coalesced', () => {
  it('mails the first registration at once and the rest of the 10 minutes in one digest per admin', async () => {
    await adminToken();
    await quietSpell();
    const [first, second, third] = [fresh(), fresh(), fresh()];
    const opening = await callWithMailbox('POST', '/api/auth/register', { body: first });
    await json(opening.res, 201);
    const digests = opening.mails.filter(isDigest);
    expect(digests).toHaveLength(1);
    expect(mailsOnly(opening.mails).map((m) => m.data)).toContainEqual({ name: first.name, email: first.email });

    for (const body of [second, third]) {
      const later = await callWithMailbox('POST', '/api/auth/register', { body });
      await json(later.res, 201);
      expect(later.mails).toEqual([]);
    }

    // The window closes: the delayed digest message reaches the consumer.
    const queued: OutgoingMail[] = [];
    const recorder = { sendBatch: async (list: { body: OutgoingMail }[]) => void queued.push(...list.map((m) => m.body)) };
    const batch = createMessageBatch('cake-planner-mail', [{ id: 'd1', timestamp: new Date(), attempts: 1, body: digests[0] }]);
    const ctx = createExecutionContext();
    await worker.queue(batch as never, { ...env, MAIL_QUEUE: recorder } as never, ctx);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(['d1']);
    const admins = (await env.DB.prepare('select email from users where is_admin = 1 and is_active = 1').all<{ email: string }>()).results;
    expect(queued.map((m) => m.to).sort()).toEqual(admins.map((a) => a.email).sort());
    for (const mail of queued) {
      expect(mail.template).toBe('new_accounts');
      const listed = (mail.data as { accounts: { email: string }[] }).accounts.map((a) => a.email);
      expect(listed).toEqual(expect.arrayContaining([second.email, third.email]));
      expect(listed).not.toContain(first.email);
    }
  });

  it('sends no digest when nobody else registered in the window', async () => {
    const queued: OutgoingMail[] = [];
    const recorder = { sendBatch: async (list: { body: OutgoingMail }[]) => void queued.push(...list.map((m) => m.body)) };
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const digest = { kind: 'new_account_digest', after: future, until: future };
    const batch = createMessageBatch('cake-planner-mail', [{ id: 'd2', timestamp: new Date(), attempts: 1, body: digest }]);
    const ctx = createExecutionContext();
    await worker.queue(batch as never, { ...env, MAIL_QUEUE: recorder } as never, ctx);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(['d2']);
    expect(queued).toEqual([]);
  });
});
