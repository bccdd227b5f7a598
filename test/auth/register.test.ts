import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { adminToken, call, createUser, json } from '../helpers/api';
import { makeGlobalAdmin } from '../helpers/admin';
import { callWithMailbox } from '../helpers/mailbox';

let n = 0;
const fresh = () => ({ name: `Carla ${++n}`, email: `carla-${Date.now()}-${n}@cake.test`, password: `Torte-${n}-Geheim!` });

describe('register notifies the active global admins', () => {
  it('mails every active global admin in their email language, and no inactive one', async () => {
    await adminToken(); // the bootstrapped admin exists and is active
    const activeAdmin = await createUser({ language: 'de' });
    await makeGlobalAdmin(activeAdmin.id);
    const inactiveAdmin = await createUser({ active: false });
    await makeGlobalAdmin(inactiveAdmin.id);
    const member = await createUser();

    const body = fresh();
    const { res, mails } = await callWithMailbox('POST', '/api/auth/register', { body });
    await json(res, 201);

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
    const { res, mails } = await callWithMailbox('POST', '/api/auth/register', { body: { ...body, email: typed } });
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
