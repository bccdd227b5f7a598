/** POST /api/auth/forgot-password: a temporary password by mail, which logs in once and forces a password change. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { consumeTemporaryPassword, hashTemporaryPassword } from '../../src/auth/temporary-password';
import { createDb } from '../../src/db/client';
import { call, createUser, expectProblem, json, withoutRequestId } from '../helpers/api';
import { callWithMailbox, temporaryPasswordOf } from '../helpers/mailbox';
import { enableTwoFactor, totpCode, wrongCode } from '../helpers/totp';

async function requestTemporaryPassword(email: string) {
  const { res, mails } = await callWithMailbox('POST', '/api/auth/forgot-password', { body: { email } });
  const body = await json(res, 200);
  return { body, mails };
}

describe('happy', () => {
  it('mails a random temporary password in the email language; same answer for unknown and inactive accounts', async () => {
    const u = await createUser({ language: 'de' });
    const known = await requestTemporaryPassword(u.email.toUpperCase());
    expect(known.mails).toEqual([
      expect.objectContaining({
        to: u.email,
        template: 'temporary_password',
        language: 'de',
        data: expect.objectContaining({ minutes: 30 }),
      }),
    ]);
    const password = (known.mails[0]!.data as { password: string }).password;
    expect(password.replaceAll('-', '')).toMatch(/^[a-zA-Z2-9]{16}$/);

    const unknown = await requestTemporaryPassword(`nobody-${u.id}@cake.test`);
    const inactive = await requestTemporaryPassword((await createUser({ active: false })).email);
    expect(unknown.mails).toEqual([]);
    expect(inactive.mails).toEqual([]);
    expect(withoutRequestId(unknown.body)).toEqual(withoutRequestId(known.body));
    expect(withoutRequestId(inactive.body)).toEqual(withoutRequestId(known.body));

    const row = await env.DB.prepare('select password_hash, expires_at, created_at from temporary_passwords where user_id = ?')
      .bind(u.id)
      .first<any>();
    // Stored as SHA-256 hex, never in clear.
    expect(row.password_hash).toBe(await hashTemporaryPassword(env.JWT_SECRET, password));
    const minutes = (Date.parse(row.expires_at) - Date.parse(row.created_at)) / 60_000;
    expect(minutes).toBeCloseTo(30, 0);
  });

  it('logs in once with the temporary password and forces a password change; the old password still works', async () => {
    const u = await createUser();
    const temporary = await temporaryPasswordOf(u.email);

    const viaTemp = await json(call('POST', '/api/auth/login', { body: { email: u.email, password: temporary } }), 200);
    expect(viaTemp.user.mustChangePassword).toBe(true);
    await expectProblem(
      call('POST', '/api/auth/login', { body: { email: u.email, password: temporary } }),
      401,
      'invalid_credentials',
    );

    // The forced change limits that token to the profile and change-password.
    await json(call('GET', '/api/user', { token: viaTemp.token }), 200);
    await expectProblem(call('GET', '/api/user/groups', { token: viaTemp.token }), 403, 'password_change_required');
    await expectProblem(call('GET', '/api/users', { token: viaTemp.token }), 403, 'password_change_required');
    await expectProblem(
      call('POST', '/api/user/settings', { token: viaTemp.token, body: { language: 'de' } }),
      403,
      'password_change_required',
    );
    await expectProblem(call('POST', '/api/auth/2fa/setup', { token: viaTemp.token }), 403, 'password_change_required');
    await expectProblem(call('DELETE', '/api/user', { token: viaTemp.token }), 403, 'password_change_required');

    // The old password is untouched.
    const viaOld = await json(call('POST', '/api/auth/login', { body: { email: u.email, password: u.password } }), 200);
    expect(viaOld.user.id).toBe(u.id);

    const fresh = await json(
      call('POST', '/api/user/change-password', { token: viaTemp.token, body: { newPassword: 'Brand-New-Cake-77' } }),
      200,
    );
    expect((await json(call('GET', '/api/user', { token: fresh.token }), 200)).mustChangePassword).toBe(false);
    await json(call('GET', '/api/user/groups', { token: fresh.token }), 200);
  });

  it('trims and lower-cases the email', async () => {
    const u = await createUser();
    const { mails } = await requestTemporaryPassword(`  ${u.email.toUpperCase()}\t `);
    expect(mails).toEqual([expect.objectContaining({ to: u.email, template: 'temporary_password' })]);
  });
});

describe('bad input', () => {
  it('rejects a malformed or missing email with 400', async () => {
    const p = await expectProblem(
      call('POST', '/api/auth/forgot-password', { body: { email: 'nope' } }),
      400,
      'validation_failed',
    );
    expect(p.errors[0].path).toBe('email');
    await expectProblem(call('POST', '/api/auth/forgot-password', { body: {} }), 400, 'validation_failed');
  });
});

describe('security', () => {
  it('a temporary password expires after 30 minutes', async () => {
    const u = await createUser();
    const temporary = await temporaryPasswordOf(u.email);
    await env.DB.prepare('update temporary_passwords set expires_at = ? where user_id = ?')
      .bind(new Date(Date.now() - 1000).toISOString(), u.id)
      .run();
    await expectProblem(
      call('POST', '/api/auth/login', { body: { email: u.email, password: temporary } }),
      401,
      'invalid_credentials',
    );
  });

  it('a temporary password dies when the password is changed', async () => {
    const u = await createUser();
    const temporary = await temporaryPasswordOf(u.email);
    await json(
      call('POST', '/api/user/change-password', {
        token: u.token,
        body: { currentPassword: u.password, newPassword: 'Changed-Cake-Pass-1' },
      }),
      200,
    );
    await expectProblem(
      call('POST', '/api/auth/login', { body: { email: u.email, password: temporary } }),
      401,
      'invalid_credentials',
    );
  });

  it('a temporary-password login revokes older tokens; only its own token may skip currentPassword', async () => {
    const u = await createUser();
    const stolen = u.token;
    const temporary = await temporaryPasswordOf(u.email);
    const viaTemp = await json(call('POST', '/api/auth/login', { body: { email: u.email, password: temporary } }), 200);
    expect(viaTemp.user.mustChangePassword).toBe(true);

    await expectProblem(call('GET', '/api/user', { token: stolen }), 401, 'invalid_token');
    await expectProblem(
      call('POST', '/api/user/change-password', { token: stolen, body: { newPassword: 'Stolen-Cake-Pass-1' } }),
      401,
      'invalid_token',
    );

    const fresh = await json(
      call('POST', '/api/user/change-password', { token: viaTemp.token, body: { newPassword: 'Own-New-Cake-Pass-2' } }),
      200,
    );
    await json(call('POST', '/api/auth/login', { body: { email: u.email, password: 'Own-New-Cake-Pass-2' } }), 200);
    expect((await json(call('GET', '/api/user', { token: fresh.token }), 200)).mustChangePassword).toBe(false);
  });

  it('a temporary password on a 2FA account still needs the code, and is not used up without it', async () => {
    const u = await createUser();
    const { secret } = await enableTwoFactor(u.token);
    const temporary = await temporaryPasswordOf(u.email);

    expect(await json(call('POST', '/api/auth/login', { body: { email: u.email, password: temporary } }), 200)).toEqual({
      require2fa: true,
    });
    const wrong = wrongCode(secret);
    await expectProblem(
      call('POST', '/api/auth/login', { body: { email: u.email, password: temporary, code: wrong } }),
      401,
      'invalid_code',
    );

    const res = await json(
      call('POST', '/api/auth/login', { body: { email: u.email, password: temporary, code: totpCode(secret, 1) } }),
      200,
    );
    expect(res.user.mustChangePassword).toBe(true);
    await expectProblem(
      call('POST', '/api/auth/login', { body: { email: u.email, password: temporary, code: totpCode(secret, 1) } }),
      401,
    );
  });

  it('a temporary password is consumed by a guarded update: two logins that both found it cannot both use it', async () => {
    const u = await createUser();
    const temporary = await temporaryPasswordOf(u.email);
    const row = await env.DB.prepare('select id from temporary_passwords where user_id = ? and password_hash = ?')
      .bind(u.id, await hashTemporaryPassword(env.JWT_SECRET, temporary))
      .first<{ id: string }>();
    const db = createDb(env.DB);
    const now = new Date().toISOString();
    // Both logins passed the lookup; only one UPDATE may claim the row.
    const claims = await Promise.all([consumeTemporaryPassword(db, row!.id, now), consumeTemporaryPassword(db, row!.id, now)]);
    expect(claims.sort()).toEqual([false, true]);
    expect(await consumeTemporaryPassword(db, row!.id, now)).toBe(false);
    await expectProblem(
      call('POST', '/api/auth/login', { body: { email: u.email, password: temporary } }),
      401,
      'invalid_credentials',
    );
  });
});
