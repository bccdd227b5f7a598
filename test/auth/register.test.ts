/** POST /api/auth/register (and its alias POST /api/register): accounts wait inactive for an admin, who is told by mail. */
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import worker from '../../src/index';
import type { OutgoingMail } from '../../src/mail';
import { isDigest } from '../../src/mail/new-accounts';
import { makeGlobalAdmin } from '../helpers/admin';
import { adminToken, call, createUser, expectProblem, json, plainUser } from '../helpers/api';
import { callWithMailbox, recordingQueue } from '../helpers/mailbox';

/** The own User object: the User's fields and the owner's dietary profile. */
const USER_KEYS = [
  'createdAt',
  'dietary',
  'email',
  'emailLanguage',
  'groupId',
  'groupRole',
  'groups',
  'has2FA',
  'id',
  'isActive',
  'isAdmin',
  'language',
  'lastLoginAt',
  'mustChangePassword',
  'name',
];

let n = 0;
const fresh = () => ({ name: `Carla ${++n}`, email: `carla-${Date.now()}-${n}@cake.test`, password: `Torte-${n}-Geheim!` });

async function userRow(email: string) {
  return env.DB.prepare('select * from users where email = ?').bind(email).first<Record<string, unknown>>();
}

/** Closes the new-account mail window, as ten quiet minutes would (other tests register accounts all the time). */
const quietSpell = () => env.DB.prepare("delete from write_budgets where key = 'new-account-mail'").run();
const mailsOnly = (queued: unknown[]) => queued.filter((m): m is OutgoingMail => !isDigest(m));

describe('happy', () => {
  it('keeps a new account inactive until an admin activates it, then logs in with the full user', async () => {
    const body = fresh();
    const { userId, message } = await json(call('POST', '/api/auth/register', { body: { ...body, language: 'de' } }), 201);
    expect(typeof message).toBe('string');
    await expectProblem(call('POST', '/api/auth/login', { body }), 403, 'account_inactive');

    await json(call('PUT', `/api/admin/users/${userId}/status`, { token: await adminToken(), body: { isActive: true } }), 200);
    const res = await json(
      call('POST', '/api/auth/login', { body: { email: `  ${body.email.toUpperCase()} `, password: body.password } }),
      200,
    );
    expect(Object.keys(res.user).sort()).toEqual(USER_KEYS);
    expect(res.user).toMatchObject(
      plainUser({ id: userId, name: body.name, email: body.email, language: 'de', emailLanguage: 'de' }),
    );
    expect(res.user.lastLoginAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(new Date(res.expiresAt).getTime()).toBeGreaterThan(Date.now());
    expect(await json(call('GET', '/api/user', { token: res.token }), 200)).toEqual(res.user);
  });

  it('accepts a 128-character password with any characters, never truncated', async () => {
    const password = 'ä€🎂'.repeat(10) + 'x'.repeat(88);
    const u = await createUser({ password });
    await json(call('POST', '/api/auth/login', { body: { email: u.email, password } }), 200);
    await expectProblem(call('POST', '/api/auth/login', { body: { email: u.email, password: password.slice(0, -1) } }), 401);
  });

  it('stores the email trimmed and lower-cased; login and the admin notice use that form', async () => {
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

  it('notifies every active global admin by mail in their email language, and no inactive one', async () => {
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

  it('coalesces the admin mails: the first registration at once, the rest of the 10 minutes in one digest per admin', async () => {
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
    const { queue: recorder, mails: queued } = recordingQueue(false);
    const batch = createMessageBatch('cake-planner-mail', [{ id: 'd1', timestamp: new Date(), attempts: 1, body: digests[0] }]);
    const ctx = createExecutionContext();
    await worker.queue(batch as never, { ...env, MAIL_QUEUE: recorder } as never, ctx);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(['d1']);
    const admins = (await env.DB.prepare('select email from users where is_admin = 1 and is_active = 1').all<{ email: string }>())
      .results;
    expect(queued.map((m) => m.to).sort()).toEqual(admins.map((a) => a.email).sort());
    for (const mail of queued) {
      expect(mail.template).toBe('new_accounts');
      const listed = (mail.data as { accounts: { email: string }[] }).accounts.map((a) => a.email);
      expect(listed).toEqual(expect.arrayContaining([second.email, third.email]));
      expect(listed).not.toContain(first.email);
    }
  });

  it('sends no digest when nobody else registered in the new-account window', async () => {
    const { queue: recorder, mails: queued } = recordingQueue(false);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const digest = { kind: 'new_account_digest', after: future, until: future };
    const batch = createMessageBatch('cake-planner-mail', [{ id: 'd2', timestamp: new Date(), attempts: 1, body: digest }]);
    const ctx = createExecutionContext();
    await worker.queue(batch as never, { ...env, MAIL_QUEUE: recorder } as never, ctx);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(['d2']);
    expect(queued).toEqual([]);
  });

  it('serves the web frontends at the aliases: POST /api/register and /api/login behave like the /api/auth paths', async () => {
    const body = fresh();
    const { userId } = await json(call('POST', '/api/register', { body }), 201);
    await expectProblem(call('POST', '/api/register', { body }), 409, 'email_taken');
    await expectProblem(call('POST', '/api/login', { body }), 403, 'account_inactive');
    await json(call('PUT', `/api/admin/users/${userId}/status`, { token: await adminToken(), body: { isActive: true } }), 200);
    const viaAlias = await json(call('POST', '/api/login', { body }), 200);
    const viaAuth = await json(call('POST', '/api/auth/login', { body }), 200);
    expect(viaAlias.user.id).toBe(userId);
    expect(Object.keys(viaAlias).sort()).toEqual(Object.keys(viaAuth).sort());
    const wrong = await expectProblem(
      call('POST', '/api/login', { body: { ...body, password: 'nope-nope-nope' } }),
      401,
      'invalid_credentials',
    );
    expect(wrong.code).toBe('invalid_credentials');
    await expectProblem(call('POST', '/api/register', { body: { ...fresh(), email: 'not-an-email' } }), 400, 'validation_failed');
  });
});

describe('bad input', () => {
  it.each([
    ['email', { name: 'A', email: 'not-an-email', password: 'Long-Enough-Pass-1' }],
    ['password', { name: 'A', email: 'short@cake.test', password: 'short' }],
    ['password', { name: 'A', email: 'long@cake.test', password: 'x'.repeat(129) }],
    ['password', { name: 'A', email: 'common@cake.test', password: 'Password1' }],
    ['password', { name: 'A', email: 'common2@cake.test', password: 'sunshine' }],
    ['name', { name: '   ', email: 'noname@cake.test', password: 'Long-Enough-Pass-1' }],
    ['name', { name: 'Anna\r\nBcc: x@evil.test', email: 'crlf@cake.test', password: 'Long-Enough-Pass-1' }],
    ['language', { name: 'A', email: 'lang@cake.test', password: 'Long-Enough-Pass-1', language: 'fr' }],
  ])('register names the bad field (%s) and writes nothing', async (field, body) => {
    const problem = await expectProblem(call('POST', '/api/auth/register', { body }), 400, 'validation_failed');
    expect(problem.errors.map((e: { path: string }) => e.path)).toContain(field);
    expect(await userRow(body.email)).toBeNull();
  });

  it('refuses a taken email with 409, whatever its case', async () => {
    const u = await createUser();
    await expectProblem(
      call('POST', '/api/auth/register', { body: { name: 'X', email: u.email.toUpperCase(), password: 'Another-Pass-42' } }),
      409,
      'email_taken',
    );
  });
});

describe('security', () => {
  it('ignores privileged fields in the register body', async () => {
    const body = fresh();
    await json(
      call('POST', '/api/auth/register', {
        body: { ...body, isAdmin: true, isActive: true, mustChangePassword: true, role: 'admin' },
      }),
      201,
    );
    const row = await userRow(body.email);
    expect(row).toMatchObject({ is_admin: 0, is_active: 0, must_change_password: 0 });
    await expectProblem(call('POST', '/api/auth/login', { body }), 403, 'account_inactive');
  });
});
