import { describe, expect, it } from 'vitest';
import { call, createUser, freshIp } from '../helpers/api';

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
    const ip = freshIp();
    const res = await hammer(30, (i) =>
      call('POST', '/api/auth/login', { ip, body: { email: `ip-${i}-${ip}@cake.test`, password: 'Wrong-Password-1' } }),
    );
    await expectThrottled(res);
  });

  it('login: per account, whatever the IP; the alias shares the budget', async () => {
    const u = await createUser();
    const res = await hammer(20, (i) =>
      call('POST', i % 2 ? '/api/login' : '/api/auth/login', { body: { email: u.email, password: 'Wrong-Password-1' } }),
    );
    await expectThrottled(res);
    // Even the right password waits now.
    expect((await call('POST', '/api/auth/login', { body: { email: u.email, password: u.password } })).status).toBe(429);
  });

  it('forgot-password: per client IP and per account', async () => {
    const ip = freshIp();
    await expectThrottled(
      await hammer(30, (i) => call('POST', '/api/auth/forgot-password', { ip, body: { email: `f-${i}-${ip}@cake.test` } })),
    );
    const email = `target-${ip}@cake.test`;
    await expectThrottled(await hammer(20, () => call('POST', '/api/auth/forgot-password', { body: { email } })));
  });

  it('register: per client IP', async () => {
    const ip = freshIp();
    await expectThrottled(
      await hammer(30, (i) =>
        call('POST', '/api/auth/register', { ip, body: { name: 'R', email: `r-${i}-${ip}@cake.test`, password: 'Register-Pass-77' } }),
      ),
    );
  });

  it('2FA: per account', async () => {
    const u = await createUser();
    await expectThrottled(await hammer(20, () => call('POST', '/api/auth/2fa/activate', { token: u.token, body: { code: '123456' } })));
  });
});
