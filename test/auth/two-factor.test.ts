/** Two-factor authentication: POST /api/auth/2fa/setup, activate and disable, and the code at login. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { matchingStep } from '../../src/auth/totp';
import { call, createUser, expectProblem, json, type TestUser } from '../helpers/api';
import { clearOfStepBoundary, enableTwoFactor, farFromAccepted, totpCode, totpCodeAt, wrongCode } from '../helpers/totp';

async function setup(u: TestUser) {
  return json<{ secret: string; otpauth: string; qrCodeUrl: string }>(
    call('POST', '/api/auth/2fa/setup', { token: u.token }),
    200,
  );
}

/** A user with 2FA enabled, holding the session the activation answered with; the activation used the current step. */
async function userWith2fa() {
  const u = await createUser();
  return { ...u, ...(await enableTwoFactor(u.token)) };
}

const login = (u: TestUser, code?: string, password = u.password) =>
  call('POST', '/api/auth/login', { body: { email: u.email, password, ...(code === undefined ? {} : { code }) } });

/** A fixed secret and the middle of a step, for the accepted window as a function. */
const WINDOW = { secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', now: 1_800_000_000_000 + 15_000 };

describe('happy', () => {
  describe('setup', () => {
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
  });

  describe('activate', () => {
    it('accepts a code of the pending secret; login then asks for a code and takes a fresh one', async () => {
      const u = await userWith2fa();
      expect((await json(call('GET', '/api/user', { token: u.token }), 200)).has2FA).toBe(true);

      const first = await json(login(u), 200);
      expect(first).toEqual({ require2fa: true });

      const res = await json(login(u, totpCode(u.secret, 1)), 200);
      expect(res.user.has2FA).toBe(true);
      expect(res.token).toBeTruthy();
    });

    it('takes the secret lower-cased or grouped; without it the code alone decides', async () => {
      const u = await createUser();
      await setup(u);
      const { secret } = await setup(u); // a second setup replaces the pending secret
      const grouped = secret
        .toLowerCase()
        .replace(/(.{4})/g, '$1 ')
        .trim();
      await json(
        call('POST', '/api/auth/2fa/activate', { token: u.token, body: { secret: grouped, code: totpCode(secret) } }),
        200,
      );
      const row = await env.DB.prepare('select totp_secret, totp_pending_secret from users where id = ?').bind(u.id).first<any>();
      expect(row.totp_secret).toBeTruthy();
      expect(row.totp_pending_secret).toBeNull();
    });

    it('takes the code of the previous step', async () => {
      const u = await createUser();
      const { secret } = await setup(u);
      await clearOfStepBoundary();
      await json(call('POST', '/api/auth/2fa/activate', { token: u.token, body: { code: totpCode(secret, -1) } }), 200);
    });
  });

  describe('login with a code', () => {
    it('takes the code of the previous step', async () => {
      const u = await userWith2fa();
      // As if 2FA had been activated minutes ago: no recent step is used yet.
      await env.DB.prepare('update users set totp_last_step = totp_last_step - 10 where id = ?').bind(u.id).run();
      await clearOfStepBoundary();
      const res = await json(login(u, totpCode(u.secret, -1)), 200);
      expect(res.user.id).toBe(u.id);
    });
  });

  describe('the accepted window', () => {
    it('matches a code of the previous, the current or the next 30 s step', () => {
      const { secret, now } = WINDOW;
      const step = Math.floor(now / 30_000);
      expect(matchingStep(secret, totpCodeAt(secret, now), now)).toBe(step);
      expect(matchingStep(secret, totpCodeAt(secret, now - 30_000), now)).toBe(step - 1);
      expect(matchingStep(secret, totpCodeAt(secret, now + 30_000), now)).toBe(step + 1);
    });
  });

  describe('disable', () => {
    it('turns 2FA off with the password', async () => {
      const u = await userWith2fa();
      const res = await json(call('POST', '/api/auth/2fa/disable', { token: u.token, body: { password: u.password } }), 200);
      expect(typeof res.message).toBe('string');
      const signedIn = await json(login(u), 200);
      expect(signedIn.user.has2FA).toBe(false);
    });

    it('turns 2FA off with a fresh code', async () => {
      const u = await userWith2fa();
      await json(call('POST', '/api/auth/2fa/disable', { token: u.token, body: { code: totpCode(u.secret, 1) } }), 200);
      expect((await json(call('GET', '/api/user', { token: u.token }), 200)).has2FA).toBe(false);
    });
  });
});

describe('bad input', () => {
  it('activate refuses a secret that differs from the pending one, naming it (400)', async () => {
    const u = await createUser();
    const { secret } = await setup(u);
    await setup(u); // a second setup replaces the pending secret
    const p = await expectProblem(
      call('POST', '/api/auth/2fa/activate', { token: u.token, body: { secret, code: totpCode(secret) } }),
      400,
      'validation_failed',
    );
    expect(p.errors[0].path).toBe('secret');
  });

  it('activate refuses a code that is not six digits, naming it (400)', async () => {
    const u = await createUser();
    await setup(u);
    const bad = await expectProblem(call('POST', '/api/auth/2fa/activate', { token: u.token, body: { code: 'abc' } }), 400);
    expect(bad.errors[0].path).toBe('code');
  });

  it('activate answers 409 without a pending setup, and setup answers 409 while 2FA is on', async () => {
    const u = await createUser();
    await expectProblem(call('POST', '/api/auth/2fa/activate', { token: u.token, body: { code: '123456' } }), 409, 'conflict');
    const on = await userWith2fa();
    await expectProblem(call('POST', '/api/auth/2fa/setup', { token: on.token }), 409, 'conflict');
  });

  it('disable needs a password or a code (400 naming password), and 2FA to be on (409)', async () => {
    const u = await createUser();
    const p = await expectProblem(call('POST', '/api/auth/2fa/disable', { token: u.token, body: {} }), 400, 'validation_failed');
    expect(p.errors[0].path).toBe('password');
    await expectProblem(
      call('POST', '/api/auth/2fa/disable', { token: u.token, body: { password: u.password } }),
      409,
      'conflict',
    );
  });
});

describe('security', () => {
  describe('activate', () => {
    it('refuses a wrong code (401)', async () => {
      const u = await createUser();
      const { secret } = await setup(u);
      await expectProblem(
        call('POST', '/api/auth/2fa/activate', { token: u.token, body: { code: wrongCode(secret) } }),
        401,
        'invalid_code',
      );
    });

    it('refuses the code of two steps ago (401)', async () => {
      const u = await createUser();
      let secret: string;
      // A far code that happens to equal a near one would pass: take another secret then.
      do {
        ({ secret } = await setup(u));
        await clearOfStepBoundary();
      } while (!farFromAccepted(secret, -2));
      await expectProblem(
        call('POST', '/api/auth/2fa/activate', { token: u.token, body: { code: totpCode(secret, -2) } }),
        401,
        'invalid_code',
      );
    });
  });

  describe('login with a code', () => {
    it('refuses a code used once already (a replay)', async () => {
      const u = await userWith2fa();
      const code = totpCode(u.secret, 1);
      await json(login(u, code), 200);
      await expectProblem(login(u, code), 401, 'invalid_code');
    });

    it('refuses the code the activation used', async () => {
      const u = await createUser();
      const { secret } = await setup(u);
      const code = totpCode(secret);
      await json(call('POST', '/api/auth/2fa/activate', { token: u.token, body: { code } }), 200);
      await expectProblem(login(u, code), 401, 'invalid_code');
    });

    it('refuses a wrong code, and a right code with the wrong password is still wrong credentials', async () => {
      const u = await userWith2fa();
      await expectProblem(login(u, wrongCode(u.secret)), 401, 'invalid_code');
      await expectProblem(login(u, totpCode(u.secret, 1), 'Wrong-Pass-123'), 401, 'invalid_credentials');
    });

    it('refuses the code of two steps ago', async () => {
      let u: Awaited<ReturnType<typeof userWith2fa>>;
      // A far code that happens to equal a near one would pass: take another user (secret) then.
      do {
        u = await userWith2fa();
        // As if 2FA had been activated minutes ago: no recent step is used yet.
        await env.DB.prepare('update users set totp_last_step = totp_last_step - 10 where id = ?').bind(u.id).run();
        await clearOfStepBoundary();
      } while (!farFromAccepted(u.secret, -2));
      await expectProblem(login(u, totpCode(u.secret, -2)), 401, 'invalid_code');
    });
  });

  describe('the accepted window', () => {
    it('matches no code two or three steps away', () => {
      const { secret, now } = WINDOW;
      const near = [-30_000, 0, 30_000].map((offset) => totpCodeAt(secret, now + offset));
      for (const offset of [-60_000, 60_000, -90_000]) {
        const code = totpCodeAt(secret, now + offset);
        // The fixed secret's far codes differ from its near ones, so a match could only come from the window.
        expect(near, `offset ${offset}`).not.toContain(code);
        expect(matchingStep(secret, code, now), `offset ${offset}`).toBeNull();
      }
    });
  });

  describe('disable', () => {
    it('refuses a wrong password (401), leaving 2FA on', async () => {
      const u = await userWith2fa();
      await expectProblem(
        call('POST', '/api/auth/2fa/disable', { token: u.token, body: { password: 'Wrong-Pass-123' } }),
        401,
        'invalid_credentials',
      );
      expect((await json(call('GET', '/api/user', { token: u.token }), 200)).has2FA).toBe(true);
    });

    it('refuses a wrong code and the code the activation used (401)', async () => {
      const u = await userWith2fa();
      await expectProblem(
        call('POST', '/api/auth/2fa/disable', { token: u.token, body: { code: wrongCode(u.secret) } }),
        401,
        'invalid_code',
      );
      await expectProblem(
        call('POST', '/api/auth/2fa/disable', { token: u.token, body: { code: u.activationCode } }),
        401,
        'invalid_code',
      );
      expect((await json(call('GET', '/api/user', { token: u.token }), 200)).has2FA).toBe(true);
    });
  });
});
