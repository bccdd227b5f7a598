import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { adminToken, call, createUser, expectProblem, json, withoutRequestId } from '../helpers/api';

const USER_KEYS = [
  'createdAt', 'email', 'emailLanguage', 'groupId', 'groupRole', 'groups', 'has2FA', 'id', 'isActive', 'isAdmin',
  'language', 'lastLoginAt', 'mustChangePassword', 'name',
];

let n = 0;
const fresh = () => ({ name: `Berta ${++n}`, email: `berta-${Date.now()}-${n}@cake.test`, password: `Kuchen-${n}-Geheim!` });

async function userRow(email: string) {
  return env.DB.prepare('select * from users where email = ?').bind(email).first<Record<string, unknown>>();
}

describe('register → activate → login', () => {
  it('keeps a new account inactive until an admin activates it, then logs in with the full user', async () => {
    const body = fresh();
    const { userId, message } = await json(call('POST', '/api/auth/register', { body: { ...body, language: 'de' } }), 201);
    expect(typeof message).toBe('string');
    await expectProblem(call('POST', '/api/auth/login', { body }), 403, 'account_inactive');

    await json(call('PUT', `/api/admin/users/${userId}/status`, { token: await adminToken(), body: { isActive: true } }), 200);
    const res = await json(call('POST', '/api/auth/login', { body: { email: `  ${body.email.toUpperCase()} `, password: body.password } }), 200);
    expect(Object.keys(res.user).sort()).toEqual(USER_KEYS);
    expect(res.user).toMatchObject({
      id: userId,
      name: body.name,
      email: body.email,
      isAdmin: false,
      isActive: true,
      mustChangePassword: false,
      has2FA: false,
      language: 'de',
      emailLanguage: 'de',
      groupId: null,
      groupRole: null,
      groups: [],
    });
    expect(res.user.lastLoginAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(new Date(res.expiresAt).getTime()).toBeGreaterThan(Date.now());
    expect(await json(call('GET', '/api/user', { token: res.token }), 200)).toEqual(res.user);
  });

  it('answers a wrong password and an unknown email with the same body', async () => {
    const u = await createUser();
    const wrong = await expectProblem(call('POST', '/api/auth/login', { body: { email: u.email, password: 'Wrong-Password-1' } }), 401, 'invalid_credentials');
    const unknown = await expectProblem(call('POST', '/api/auth/login', { body: { email: `nobody-${u.id}@cake.test`, password: 'Wrong-Password-1' } }), 401, 'invalid_credentials');
    expect(withoutRequestId(unknown)).toEqual(withoutRequestId(wrong));
  });

  it('refuses a taken email with 409, whatever its case', async () => {
    const u = await createUser();
    await expectProblem(call('POST', '/api/auth/register', { body: { name: 'X', email: u.email.toUpperCase(), password: 'Another-Pass-42' } }), 409, 'email_taken');
  });

  it('ignores privileged fields in the register body', async () => {
    const body = fresh();
    await json(call('POST', '/api/auth/register', { body: { ...body, isAdmin: true, isActive: true, mustChangePassword: true, role: 'admin' } }), 201);
    const row = await userRow(body.email);
    expect(row).toMatchObject({ is_admin: 0, is_active: 0, must_change_password: 0 });
    await expectProblem(call('POST', '/api/auth/login', { body }), 403, 'account_inactive');
  });
});

describe('aliases of the web frontends', () => {
  it('POST /api/register and /api/login behave like the /api/auth paths', async () => {
    const body = fresh();
    const { userId } = await json(call('POST', '/api/register', { body }), 201);
    await expectProblem(call('POST', '/api/register', { body }), 409, 'email_taken');
    await expectProblem(call('POST', '/api/login', { body }), 403, 'account_inactive');
    await json(call('PUT', `/api/admin/users/${userId}/status`, { token: await adminToken(), body: { isActive: true } }), 200);
    const viaAlias = await json(call('POST', '/api/login', { body }), 200);
    const viaAuth = await json(call('POST', '/api/auth/login', { body }), 200);
    expect(viaAlias.user.id).toBe(userId);
    expect(Object.keys(viaAlias).sort()).toEqual(Object.keys(viaAuth).sort());
    const wrong = await expectProblem(call('POST', '/api/login', { body: { ...body, password: 'nope-nope-nope' } }), 401, 'invalid_credentials');
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

  it('accepts a 128-character password with any characters, never truncated', async () => {
    const password = 'ä€🎂'.repeat(10) + 'x'.repeat(88);
    const u = await createUser({ password });
    await json(call('POST', '/api/auth/login', { body: { email: u.email, password } }), 200);
    await expectProblem(call('POST', '/api/auth/login', { body: { email: u.email, password: password.slice(0, -1) } }), 401);
  });

  it('login names missing fields and refuses a malformed code', async () => {
    const p1 = await expectProblem(call('POST', '/api/auth/login', { body: { email: 'a@cake.test' } }), 400, 'validation_failed');
    expect(p1.errors[0].path).toBe('password');
    const p2 = await expectProblem(call('POST', '/api/auth/login', { body: { email: 'a@cake.test', password: 'x', code: '12ab' } }), 400);
    expect(p2.errors[0].path).toBe('code');
  });
});
