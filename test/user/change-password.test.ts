/** POST /api/user/change-password: a new password, a fresh token, every other session ended. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { adminToken, call, createUser, expectProblem, json, sessionSignedInAgo } from '../helpers/api';

const change = (token: string, body: unknown) => call('POST', '/api/user/change-password', { token, body });
const accountRow = (userId: string) =>
  env.DB.prepare('select password_hash, token_version from users where id = ?').bind(userId).first();

describe('happy', () => {
  it('answers a fresh token; the new password signs in, the old one no longer', async () => {
    const u = await createUser();
    const res = await json(change(u.token, { currentPassword: u.password, newPassword: 'Fresh-Cake-Pass-9' }), 200);
    expect(Object.keys(res).sort()).toEqual(['expiresAt', 'token']);
    expect(new Date(res.expiresAt).getTime()).toBeGreaterThan(Date.now());
    expect((await json(call('GET', '/api/user', { token: res.token }), 200)).id).toBe(u.id);

    await expectProblem(
      call('POST', '/api/auth/login', { body: { email: u.email, password: u.password } }),
      401,
      'invalid_credentials',
    );
    await json(call('POST', '/api/auth/login', { body: { email: u.email, password: 'Fresh-Cake-Pass-9' } }), 200);
  });

  it('keeps the calling session (the web app keeps its token) until the next revocation', async () => {
    const u = await createUser();
    await json(change(u.token, { currentPassword: u.password, newPassword: 'Fresh-Cake-Pass-9' }), 200);
    expect((await json(call('GET', '/api/user', { token: u.token }), 200)).id).toBe(u.id);
    await json(call('PUT', `/api/admin/users/${u.id}/status`, { token: await adminToken(), body: { isActive: false } }), 200);
    await json(call('PUT', `/api/admin/users/${u.id}/status`, { token: await adminToken(), body: { isActive: true } }), 200);
    await expectProblem(call('GET', '/api/user', { token: u.token }), 401, 'invalid_token');
  });

  it('during a forced change needs no current password and clears the flag', async () => {
    const u = await createUser();
    await env.DB.prepare('update users set must_change_password = 1 where id = ?').bind(u.id).run();
    const me = await json(call('GET', '/api/user', { token: u.token }), 200);
    expect(me.mustChangePassword).toBe(true);
    await expectProblem(call('GET', '/api/user/groups', { token: u.token }), 403, 'password_change_required');

    const res = await json(change(u.token, { newPassword: 'Forced-New-Pass-5' }), 200);
    const after = await json(call('GET', '/api/user', { token: res.token }), 200);
    expect(after.mustChangePassword).toBe(false);
    await json(call('GET', '/api/user/groups', { token: res.token }), 200);
    // The session that made the change goes on, now past the forced change too.
    await json(call('GET', '/api/user/groups', { token: u.token }), 200);
  });
});

describe('bad input', () => {
  it('applies the password policy to the new password, naming it', async () => {
    const u = await createUser();
    for (const newPassword of ['short', 'password123', 'x'.repeat(129)]) {
      const p = await expectProblem(change(u.token, { currentPassword: u.password, newPassword }), 400, 'validation_failed');
      expect(p.errors[0].path).toBe('newPassword');
    }
  });

  it('needs a new password', async () => {
    const u = await createUser();
    await expectProblem(change(u.token, { currentPassword: u.password }), 400, 'validation_failed');
  });
});

describe('security', () => {
  it('ends every other session of the user', async () => {
    const u = await createUser();
    const other = (await json(call('POST', '/api/auth/login', { body: { email: u.email, password: u.password } }), 200)).token;
    await json(change(u.token, { currentPassword: u.password, newPassword: 'Fresh-Cake-Pass-9' }), 200);
    await expectProblem(call('GET', '/api/user', { token: other }), 401, 'invalid_token');
  });

  it('without currentPassword needs a sign-in of the last 10 minutes (403 naming currentPassword), changing nothing', async () => {
    const u = await createUser();
    const before = await accountRow(u.id);
    const stale = await sessionSignedInAgo(u.id, 11 * 60);
    const missing = await expectProblem(change(stale, { newPassword: 'Fresh-Cake-Pass-9' }), 403, 'reauthentication_required');
    expect(missing.detail).toContain('currentPassword');
    expect(await accountRow(u.id)).toEqual(before);
  });

  it('refuses a wrong current password (401), changing nothing', async () => {
    const u = await createUser();
    const before = await accountRow(u.id);
    await expectProblem(
      change(u.token, { currentPassword: 'Not-My-Password-1', newPassword: 'Fresh-Cake-Pass-9' }),
      401,
      'invalid_credentials',
    );
    expect(await accountRow(u.id)).toEqual(before);
    await json(call('GET', '/api/user', { token: u.token }), 200);
  });
});
