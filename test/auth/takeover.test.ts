/**
 * A stolen session must not be able to take the account over: each case
 * replays what a thief holding an old bearer token would try, and what the
 * owner does to recover.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { RECOVERY_CODE_COUNT } from '../../src/auth/recovery-codes';
import { call, createGroup, createUser, expectProblem, json, login, sessionSignedInAgo, userIn } from '../helpers/api';
import { enableTwoFactor, totpCode } from '../helpers/totp';

const ELEVEN_MINUTES = 11 * 60;

describe('step-up: an old session alone cannot change what guards the account', () => {
  it('cannot enable 2FA (the lock-out attack): 403 reauthentication_required; with the password it can', async () => {
    const u = await createUser();
    const stolen = await sessionSignedInAgo(u.id, ELEVEN_MINUTES);
    const { secret } = await json(call('POST', '/api/auth/2fa/setup', { token: stolen }), 200);
    const refused = await expectProblem(
      call('POST', '/api/auth/2fa/activate', { token: stolen, body: { secret, code: totpCode(secret) } }),
      403,
      'reauthentication_required',
    );
    expect(refused.detail).toMatch(/10 minutes/);
    const row = await env.DB.prepare('select totp_secret from users where id = ?')
      .bind(u.id)
      .first<{ totp_secret: string | null }>();
    expect(row!.totp_secret).toBeNull();

    await expectProblem(
      call('POST', '/api/auth/2fa/activate', {
        token: stolen,
        body: { secret, code: totpCode(secret), password: 'Not-The-Password-1' },
      }),
      401,
      'invalid_credentials',
    );
    const on = await json(
      call('POST', '/api/auth/2fa/activate', { token: stolen, body: { secret, code: totpCode(secret), password: u.password } }),
      200,
    );
    expect(on.recoveryCodes).toHaveLength(RECOVERY_CODE_COUNT);
  });

  it('cannot change the password, delete the account or rotate the calendar URL without the password', async () => {
    const u = await createUser();
    const { url } = await json(call('GET', '/api/user/calendar', { token: u.token }), 200);
    const stolen = await sessionSignedInAgo(u.id, ELEVEN_MINUTES);
    await expectProblem(
      call('POST', '/api/user/change-password', { token: stolen, body: { newPassword: 'Thief-Chosen-Pass-1' } }),
      403,
      'reauthentication_required',
    );
    await expectProblem(call('DELETE', '/api/user', { token: stolen }), 403, 'reauthentication_required');
    await expectProblem(call('POST', '/api/user/calendar/rotate', { token: stolen }), 403, 'reauthentication_required');
    await expectProblem(
      call('POST', '/api/user/calendar/rotate', { token: stolen, body: { password: 'Wrong-Guess-12' } }),
      401,
      'invalid_credentials',
    );

    // Nothing changed: the password still signs in, the account and the feed are there.
    await login(u.email, u.password);
    expect((await json(call('GET', '/api/user/calendar', { token: u.token }), 200)).url).toBe(url);

    // With the password, an old session may do it.
    const rotated = await json(call('POST', '/api/user/calendar/rotate', { token: stolen, body: { password: u.password } }), 200);
    expect(rotated.url).not.toBe(url);
  });

  it('lets the web app’s own flows through right after sign-in: change-password with {newPassword}, 2FA with {secret, code}', async () => {
    const u = await createUser();
    const { token } = await json(
      call('POST', '/api/user/change-password', { token: u.token, body: { newPassword: 'Brand-New-Cake-7' } }),
      200,
    );
    const { secret } = await json(call('POST', '/api/auth/2fa/setup', { token }), 200);
    await json(call('POST', '/api/auth/2fa/activate', { token, body: { secret, code: totpCode(secret) } }), 200);
  });

  it('a token whose sign-in time is missing (issued before sessions carried it) counts as old', async () => {
    const u = await createUser();
    const row = await env.DB.prepare('select token_version as tv from users where id = ?').bind(u.id).first<{ tv: number }>();
    const { issueToken } = await import('../../src/auth/jwt');
    const legacy = (await issueToken(env.JWT_SECRET, { sub: u.id, tv: row!.tv })).token;
    await json(call('GET', '/api/user', { token: legacy }), 200);
    await expectProblem(call('DELETE', '/api/user', { token: legacy }), 403, 'reauthentication_required');
  });
});

describe('enabling 2FA', () => {
  it('ends every other session, keeps the caller’s (the web app goes on with it) and answers with a fresh one', async () => {
    const u = await createUser();
    const other = (await login(u.email, u.password)).token;
    const on = await enableTwoFactor(u.token);
    await expectProblem(call('GET', '/api/user', { token: other }), 401, 'invalid_token');
    expect((await json(call('GET', '/api/user', { token: u.token }), 200)).has2FA).toBe(true);
    expect((await json(call('GET', '/api/user', { token: on.token }), 200)).has2FA).toBe(true);
    // The kept session is like any other at the next revocation (a password change made by the fresh one).
    const { token } = await json(
      call('POST', '/api/user/change-password', { token: on.token, body: { newPassword: 'After-2fa-Pass-8' } }),
      200,
    );
    await expectProblem(call('GET', '/api/user', { token: u.token }), 401, 'invalid_token');
    await json(call('GET', '/api/user', { token }), 200);
  });

  it('keeps the caller’s live stream and its tickets working', async () => {
    const u = await userIn((await createGroup()).id);
    await enableTwoFactor(u.token);
    const { ticket } = await json(call('POST', '/api/events/stream/ticket', { token: u.token }), 200);
    const res = await call('GET', `/api/events/stream?ticket=${encodeURIComponent(ticket)}`);
    expect(res.status).toBe(200);
    await res.body?.cancel();
  });

  it('hands out 10 distinct recovery codes once, stored only as keyed hashes', async () => {
    const u = await createUser();
    const { recoveryCodes } = await enableTwoFactor(u.token);
    expect(new Set(recoveryCodes).size).toBe(RECOVERY_CODE_COUNT);
    for (const code of recoveryCodes) expect(code).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    const { results } = await env.DB.prepare('select code_hash from recovery_codes where user_id = ?')
      .bind(u.id)
      .all<{ code_hash: string }>();
    expect(results).toHaveLength(RECOVERY_CODE_COUNT);
    const stored = results.map((r) => r.code_hash).join(' ');
    for (const code of recoveryCodes) {
      expect(stored).not.toContain(code);
      expect(stored).not.toContain(code.replaceAll('-', ''));
    }
  });
});

describe('recovery codes', () => {
  it('sign in once each in place of a TOTP code, in any case and without dashes', async () => {
    const u = await createUser();
    const { recoveryCodes } = await enableTwoFactor(u.token);
    const [first, second] = recoveryCodes as [string, string];
    const signIn = (code: string) => call('POST', '/api/auth/login', { body: { email: u.email, password: u.password, code } });
    expect((await json(signIn(first), 200)).user.id).toBe(u.id);
    await expectProblem(signIn(first), 401, 'invalid_code');
    await json(signIn(second.replaceAll('-', '').toUpperCase()), 200);
    await expectProblem(signIn('zzzz-zzzz-zzzz'), 401, 'invalid_code');
    await expectProblem(signIn('not a code'), 400, 'validation_failed');
  });

  it('turn 2FA off (then the remaining codes are gone)', async () => {
    const u = await createUser();
    const { recoveryCodes, token } = await enableTwoFactor(u.token);
    await json(call('POST', '/api/auth/2fa/disable', { token, body: { code: recoveryCodes[3] } }), 200);
    const left = await env.DB.prepare('select count(*) as n from recovery_codes where user_id = ?')
      .bind(u.id)
      .first<{ n: number }>();
    expect(left!.n).toBe(0);
    expect((await login(u.email, u.password)).user.has2FA).toBe(false);
  });
});
