import { describe, expect, it } from 'vitest';
import { call, createUser, expectProblem, json } from '../helpers/api';

describe('register → activate → login', () => {
  it('logs in an activated user with the full user object', async () => {
    const u = await createUser({ name: 'Anna' });
    const res = await json(call('POST', '/api/auth/login', { body: { email: u.email.toUpperCase(), password: u.password } }), 200);
    expect(res.user).toMatchObject({ id: u.id, name: 'Anna', isAdmin: false, isActive: true, groupId: null, groups: [] });
    const me = await json(call('GET', '/api/user', { token: res.token }), 200);
    expect(me.email).toBe(u.email);
  });

  it('refuses an inactive account with 403 and a wrong password with 401', async () => {
    const u = await createUser({ active: false });
    await expectProblem(call('POST', '/api/auth/login', { body: { email: u.email, password: u.password } }), 403, 'account_inactive');
    await expectProblem(call('POST', '/api/auth/login', { body: { email: u.email, password: 'nope-nope' } }), 401, 'invalid_credentials');
  });

  it('answers a password shorter than 8 bytes with 401, known email or not (argon2id refuses such input)', async () => {
    const u = await createUser();
    for (const email of [u.email, `nobody-${u.id}@cake.test`]) {
      await expectProblem(call('POST', '/api/auth/login', { body: { email, password: 'abc' } }), 401, 'invalid_credentials');
    }
  });
});
