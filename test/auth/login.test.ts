/** POST /api/auth/login (and its alias POST /api/login). */
import { describe, expect, it } from 'vitest';
import { call, createUser, expectProblem, json, withoutRequestId } from '../helpers/api';

describe('happy', () => {
  it('logs in an activated user with the full user object, whatever the email’s case', async () => {
    const u = await createUser({ name: 'Anna' });
    const res = await json(
      call('POST', '/api/auth/login', { body: { email: u.email.toUpperCase(), password: u.password } }),
      200,
    );
    expect(res.user).toMatchObject({ id: u.id, name: 'Anna', isAdmin: false, isActive: true, groupId: null, groups: [] });
    const me = await json(call('GET', '/api/user', { token: res.token }), 200);
    expect(me.email).toBe(u.email);
  });
});

describe('bad input', () => {
  it('names missing fields and refuses a malformed code', async () => {
    const p1 = await expectProblem(call('POST', '/api/auth/login', { body: { email: 'a@cake.test' } }), 400, 'validation_failed');
    expect(p1.errors[0].path).toBe('password');
    const p2 = await expectProblem(
      call('POST', '/api/auth/login', { body: { email: 'a@cake.test', password: 'x', code: '12ab' } }),
      400,
    );
    expect(p2.errors[0].path).toBe('code');
  });
});

describe('security', () => {
  it('refuses an inactive account with 403', async () => {
    const u = await createUser({ active: false });
    await expectProblem(
      call('POST', '/api/auth/login', { body: { email: u.email, password: u.password } }),
      403,
      'account_inactive',
    );
  });

  it('refuses a wrong password with 401', async () => {
    const u = await createUser({ active: false });
    await expectProblem(
      call('POST', '/api/auth/login', { body: { email: u.email, password: 'nope-nope' } }),
      401,
      'invalid_credentials',
    );
  });

  it('answers a wrong password and an unknown email with the same body', async () => {
    const u = await createUser();
    const wrong = await expectProblem(
      call('POST', '/api/auth/login', { body: { email: u.email, password: 'Wrong-Password-1' } }),
      401,
      'invalid_credentials',
    );
    const unknown = await expectProblem(
      call('POST', '/api/auth/login', { body: { email: `nobody-${u.id}@cake.test`, password: 'Wrong-Password-1' } }),
      401,
      'invalid_credentials',
    );
    expect(withoutRequestId(unknown)).toEqual(withoutRequestId(wrong));
  });

  it('answers a password shorter than 8 bytes with 401, known email or not (argon2id refuses such input)', async () => {
    const u = await createUser();
    for (const email of [u.email, `nobody-${u.id}@cake.test`]) {
      await expectProblem(call('POST', '/api/auth/login', { body: { email, password: 'abc' } }), 401, 'invalid_credentials');
    }
  });
});
