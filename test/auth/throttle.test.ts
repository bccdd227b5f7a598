import { describe, expect, it } from 'vitest';
import { call, createUser, freshIp, json, type TestUser } from '../helpers/api';
import { inOneLimiterWindow } from '../helpers/limiter-window';
import { enableTwoFactor, totpCode } from '../helpers/totp';

/** The limits in wrangler.toml. */
const IP_LIMIT = 20;
const ACCOUNT_LIMIT = 10;

/** Sends `times` requests and returns the first throttled response, if any. */
async function hammer(times: number, send: (i: number) => Promise<Response>): Promise<Response | undefined> {
  for (let i = 0; i < times; i++) {
    const res = await send(i);
    if (res.status === 429) return res;
    await res.body?.cancel();
  }
  return undefined;
}

async function expectThrottled(res: Response | undefined) {
  expect(res, 'no request was throttled').toBeDefined();
  expect(res!.status).toBe(429);
  expect(Number(res!.headers.get('Retry-After'))).toBeGreaterThan(0);
  expect(res!.headers.get('content-type')).toContain('application/problem+json');
  expect((await res!.json<{ code: string }>()).code).toBe('rate_limited');
}

describe('throttling of credential endpoints', () => {
  it('login: per client IP', async () => {
    await inOneLimiterWindow(async () => {
      const ip = freshIp();
      const res = await hammer(30, (i) =>
        call('POST', '/api/auth/login', { ip, body: { email: `ip-${i}-${ip}@cake.test`, password: 'Wrong-Password-1' } }),
      );
      await expectThrottled(res);
    });
  });

  it('login: per account, whatever the IP; the alias shares the budget', async () => {
    await inOneLimiterWindow(async () => {
      const u = await createUser();
      const res = await hammer(20, (i) =>
        call('POST', i % 2 ? '/api/login' : '/api/auth/login', { body: { email: u.email, password: 'Wrong-Password-1' } }),
      );
      await expectThrottled(res);
      // Even the right password waits now.
      expect((await call('POST', '/api/auth/login', { body: { email: u.email, password: u.password } })).status).toBe(429);
    });
  });

  it('forgot-password: per client IP and per account', async () => {
    await inOneLimiterWindow(async () => {
      const ip = freshIp();
      await expectThrottled(
        await hammer(30, (i) => call('POST', '/api/auth/forgot-password', { ip, body: { email: `f-${i}-${ip}@cake.test` } })),
      );
      const email = `target-${ip}@cake.test`;
      await expectThrottled(await hammer(20, () => call('POST', '/api/auth/forgot-password', { body: { email } })));
    });
  });

  it('register: per client IP', async () => {
    await inOneLimiterWindow(async () => {
      const ip = freshIp();
      await expectThrottled(
        await hammer(30, (i) =>
          call('POST', '/api/auth/register', {
            ip,
            body: { name: 'R', email: `r-${i}-${ip}@cake.test`, password: 'Register-Pass-77' },
          }),
        ),
      );
    });
  });

  it('register: per account, whatever the IP', async () => {
    await inOneLimiterWindow(async () => {
      const email = `acct-${freshIp()}@cake.test`;
      // Every attempt from its own IP: only the account's budget can run out.
      const res = await hammer(ACCOUNT_LIMIT + 1, () =>
        call('POST', '/api/auth/register', { body: { name: 'R', email, password: 'Register-Pass-77' } }),
      );
      await expectThrottled(res);
    });
  });
});

/** The 2FA endpoints, each with a body it accepts (none of them needs 2FA to be in any particular state to be throttled). */
const twoFactorEndpoints = [
  { path: '/api/auth/2fa/setup', body: undefined },
  { path: '/api/auth/2fa/activate', body: { code: '123456' } },
  { path: '/api/auth/2fa/disable', body: { password: 'Wrong-Password-1' } },
] as const;

async function users(count: number): Promise<TestUser[]> {
  const out: TestUser[] = [];
  for (let i = 0; i < count; i++) out.push(await createUser());
  return out;
}

describe('throttling of the 2FA endpoints', () => {
  it.each(twoFactorEndpoints)('$path: per account, whatever the IP', async ({ path, body }) => {
    await inOneLimiterWindow(async () => {
      const u = await createUser();
      await expectThrottled(await hammer(ACCOUNT_LIMIT + 1, () => call('POST', path, { token: u.token, body })));
    });
  });

  it.each(twoFactorEndpoints)('$path: per client IP, whatever the account', async ({ path, body }) => {
    await inOneLimiterWindow(async () => {
      // Four accounts take turns, none of them near its own limit when the IP's runs out.
      const accounts = await users(4);
      const ip = freshIp();
      await expectThrottled(
        await hammer(IP_LIMIT + 1, (i) => call('POST', path, { ip, token: accounts[i % accounts.length]!.token, body })),
      );
    });
  });

  it('login with a code: the account’s 2FA budget, spent at the 2FA endpoints, holds back the code', async () => {
    await inOneLimiterWindow(async () => {
      const u = await createUser();
      const { secret, token } = await enableTwoFactor(u.token);
      u.token = token;
      // Setup answers 409 with 2FA enabled, but each attempt counts.
      await expectThrottled(await hammer(ACCOUNT_LIMIT + 1, () => call('POST', '/api/auth/2fa/setup', { token: u.token })));

      // The login budget is untouched: the password step still answers ...
      expect(await json(call('POST', '/api/auth/login', { body: { email: u.email, password: u.password } }), 200)).toEqual({
        require2fa: true,
      });
      // ... but a right code is not even looked at.
      const code = totpCode(secret, 1);
      await expectThrottled(await call('POST', '/api/auth/login', { body: { email: u.email, password: u.password, code } }));
    });
  });

  it('login with a code: the client IP’s 2FA budget holds back the code', async () => {
    await inOneLimiterWindow(async () => {
      const accounts = await users(3);
      const u = await createUser();
      const { secret } = await enableTwoFactor(u.token);
      const ip = freshIp();
      // Other accounts spend this IP's 2FA budget (none of them its own).
      await expectThrottled(
        await hammer(IP_LIMIT + 1, (i) =>
          call('POST', '/api/auth/2fa/setup', { ip, token: accounts[i % accounts.length]!.token }),
        ),
      );

      expect(await json(call('POST', '/api/auth/login', { ip, body: { email: u.email, password: u.password } }), 200)).toEqual({
        require2fa: true,
      });
      const code = totpCode(secret, 1);
      await expectThrottled(await call('POST', '/api/auth/login', { ip, body: { email: u.email, password: u.password, code } }));
      // From another IP the same login goes through.
      expect(
        (await json(call('POST', '/api/auth/login', { body: { email: u.email, password: u.password, code } }), 200)).token,
      ).toBeTruthy();
    });
  });
});
