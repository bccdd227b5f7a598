import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, createUser, expectProblem, json, type TestUser } from '../helpers/api';
import { matchingStep, newTotpSecret } from '../../src/auth/totp';
import { clearOfStepBoundary, enableTwoFactor, totpCode, totpCodeAt } from '../helpers/totp';

async function setup(u: TestUser) {
  return json<{ secret: string; otpauth: string; qrCodeUrl: string }>(call('POST', '/api/auth/2fa/setup', { token: u.token }), 200);
}

/** A user with 2FA enabled, holding the session the activation answered with; the activation used the current step. */
async function userWith2fa() {
  const u = await createUser();
  return { ...u, ...(await enableTwoFactor(u.token)) };
}

describe('2FA setup', () => {
  it('returns the secret, an otpauth URI and a QR code drawn as a data URL; keeps the secret encrypted', async () => {
    const u = await createUser();
    const res = await setup(u);
    expect(res.secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = new URL(res.otpauth);
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('secret')).toBe(res.secret);
    expect(uri.searchParams.get('algorithm')).toBe('SHA1');
    expect(uri.searchParams.get('digits')).toBe('6');
    expect(uri.searchParams.get('period')).toBe('30');
    expect(decodeURIComponent(res.otpauth)).toContain(u.email);
    expect(res.qrCodeUrl).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(atob(res.qrCodeUrl.split(',')[1]!)).toContain('<svg');

    const row = await env.DB.prepare('select totp_secret, totp_pending_secret from users where id = ?').bind(u.id).first<any>();
    expect(row.totp_secret).toBeNull();
    expect(row.totp_pending_secret).toBeTruthy();
    expect(row.totp_pending_secret).not.toContain(res.secret);
    // Still off until activation.
    expect((await json(call('GET', '/api/user', { token: u.token }), 200)).has2FA).toBe(false);
  });

  it('needs a token', async () => {
    await expectProblem(call('POST', '/api/auth/2fa/setup'), 401, 'unauthorized');
    await expectProblem(call('POST', '/api/auth/2fa/activate', { body: { code: '123456' } }), 401);
    await expectProblem(call('POST', '/api/auth/2fa/disable', { body: { password: 'x' } }), 401);
  });
});

describe('2FA activation', () => {
  it('accepts a code of the pending secret and then asks for a code at login', async () => {
    const u = await userWith2fa();
    expect((await json(call('GET', '/api/user', { token: u.token }), 200)).has2FA).toBe(true);

    const first = await json(call('POST', '/api/auth/login', { body: { email: u.email, password: u.password } }), 200);
    expect(first).toEqual({ require2fa: true });

    const code = totpCode(u.secret, 1);
    const res = await json(call('POST', '/api/auth/login', { body: { email: u.email, password: u.password, code } }), 200);
    expect(res.user.has2FA).toBe(true);
    expect(res.token).toBeTruthy();

    // The same code again is a replay.
    await expectProblem(call('POST', '/api/auth/login', { body: { email: u.email, password: u.password, code } }), 401, 'invalid_code');
  });

  it('refuses a wrong code at login, and a code with the wrong password is still wrong credentials', async () => {
    const u = await userWith2fa();
    const wrong = totpCode(u.secret, 1) === '000000' ? '111111' : '000000';
    await expectProblem(call('POST', '/api/auth/login', { body: { email: u.email, password: u.password, code: wrong } }), 401, 'invalid_code');
    await expectProblem(
      call('POST', '/api/auth/login', { body: { email: u.email, password: 'Wrong-Pass-123', code: totpCode(u.secret, 1) } }),
      401,
      'invalid_credentials',
    );
  });

  it('refuses a secret that differs from the pending one with 400, and a wrong code with 401', async () => {
    const u = await createUser();
    const { secret } = await setup(u);
    const other = (await setup(u)).secret; // a second setup replaces the pending secret
    const p = await expectProblem(call('POST', '/api/auth/2fa/activate', { token: u.token, body: { secret, code: totpCode(secret) } }), 400, 'validation_failed');
    expect(p.errors[0].path).toBe('secret');
    const wrong = totpCode(other) === '000000' ? '111111' : '000000';
    await expectProblem(call('POST', '/api/auth/2fa/activate', { token: u.token, body: { code: wrong } }), 401, 'invalid_code');
    const bad = await expectProblem(call('POST', '/api/auth/2fa/activate', { token: u.token, body: { code: 'abc' } }), 400);
    expect(bad.errors[0].path).toBe('code');
    // The secret may come lower-cased or grouped; without it the code alone decides.
    const grouped = other.toLowerCase().replace(/(.{4})/g, '$1 ').trim();
    await json(call('POST', '/api/auth/2fa/activate', { token: u.token, body: { secret: grouped, code: totpCode(other) } }), 200);
    const row = await env.DB.prepare('select totp_secret, totp_pending_secret from users where id = ?').bind(u.id).first<any>();
    expect(row.totp_secret).toBeTruthy();
    expect(row.totp_pending_secret).toBeNull();
  });

  it('answers 409 without a pending setup, and to setup while 2FA is on', async () => {
    const u = await createUser();
    await expectProblem(call('POST', '/api/auth/2fa/activate', { token: u.token, body: { code: '123456' } }), 409, 'conflict');
    const on = await userWith2fa();
    await expectProblem(call('POST', '/api/auth/2fa/setup', { token: on.token }), 409, 'conflict');
  });

  it('a code used for activation cannot be replayed at login', async () => {
    const u = await createUser();
    const { secret } = await setup(u);
    const code = totpCode(secret);
    await json(call('POST', '/api/auth/2fa/activate', { token: u.token, body: { code } }), 200);
    await expectProblem(call('POST', '/api/auth/login', { body: { email: u.email, password: u.password, code } }), 401, 'invalid_code');
  });
});

describe('2FA time window', () => {
  it('accepts a code of the previous or next 30 s step and refuses one two steps away', () => {
    const secret = newTotpSecret();
    const now = 1_800_000_000_000 + 15_000; // the middle of a step
    const step = Math.floor(now / 30_000);
    expect(matchingStep(secret, totpCodeAt(secret, now), now)).toBe(step);
    expect(matchingStep(secret, totpCodeAt(secret, now - 30_000), now)).toBe(step - 1);
    expect(matchingStep(secret, totpCodeAt(secret, now + 30_000), now)).toBe(step + 1);
    for (const offset of [-60_000, 60_000, -90_000]) {
      const code = totpCodeAt(secret, now + offset);
      // A code of a far step could collide with a near one by chance; skip that case.
      if ([-30_000, 0, 30_000].some((near) => totpCodeAt(secret, now + near) === code)) continue;
      expect(matchingStep(secret, code, now), `offset ${offset}`).toBeNull();
    }
  });

  it('login takes the code of the previous step and refuses one from two steps ago', async () => {
    const u = await userWith2fa();
    // As if 2FA had been activated minutes ago: no recent step is used yet.
    await env.DB.prepare('update users set totp_last_step = totp_last_step - 10 where id = ?').bind(u.id).run();
    await clearOfStepBoundary();
    const body = (code: string) => ({ body: { email: u.email, password: u.password, code } });
    const [previous, twoAgo] = [totpCode(u.secret, -1), totpCode(u.secret, -2)];
    if (twoAgo !== previous && twoAgo !== totpCode(u.secret) && twoAgo !== totpCode(u.secret, 1)) {
      await expectProblem(call('POST', '/api/auth/login', body(twoAgo)), 401, 'invalid_code');
    }
    const res = await json(call('POST', '/api/auth/login', body(previous)), 200);
    expect(res.user.id).toBe(u.id);
  });

  it('activation takes the code of the previous step and refuses one from two steps ago', async () => {
    const u = await createUser();
    const { secret } = await setup(u);
    await clearOfStepBoundary();
    const [previous, twoAgo] = [totpCode(secret, -1), totpCode(secret, -2)];
    if (twoAgo !== previous && twoAgo !== totpCode(secret) && twoAgo !== totpCode(secret, 1)) {
      await expectProblem(call('POST', '/api/auth/2fa/activate', { token: u.token, body: { code: twoAgo } }), 401, 'invalid_code');
    }
    await json(call('POST', '/api/auth/2fa/activate', { token: u.token, body: { code: previous } }), 200);
  });
});

describe('2FA disable', () => {
  it('turns 2FA off with the password', async () => {
    const u = await userWith2fa();
    await expectProblem(call('POST', '/api/auth/2fa/disable', { token: u.token, body: { password: 'Wrong-Pass-123' } }), 401, 'invalid_credentials');
    const res = await json(call('POST', '/api/auth/2fa/disable', { token: u.token, body: { password: u.password } }), 200);
    expect(typeof res.message).toBe('string');
    const login = await json(call('POST', '/api/auth/login', { body: { email: u.email, password: u.password } }), 200);
    expect(login.user.has2FA).toBe(false);
  });

  it('turns 2FA off with a fresh code, not with a wrong or used one', async () => {
    const u = await userWith2fa();
    const wrong = totpCode(u.secret, 1) === '000000' ? '111111' : '000000';
    await expectProblem(call('POST', '/api/auth/2fa/disable', { token: u.token, body: { code: wrong } }), 401, 'invalid_code');
    await expectProblem(call('POST', '/api/auth/2fa/disable', { token: u.token, body: { code: u.activationCode } }), 401, 'invalid_code');
    await json(call('POST', '/api/auth/2fa/disable', { token: u.token, body: { code: totpCode(u.secret, 1) } }), 200);
    expect((await json(call('GET', '/api/user', { token: u.token }), 200)).has2FA).toBe(false);
  });

  it('needs a password or a code, and 2FA to be on', async () => {
    const u = await createUser();
    const p = await expectProblem(call('POST', '/api/auth/2fa/disable', { token: u.token, body: {} }), 400, 'validation_failed');
    expect(p.errors[0].path).toBe('password');
    await expectProblem(call('POST', '/api/auth/2fa/disable', { token: u.token, body: { password: u.password } }), 409, 'conflict');
  });
});
