/**
 * Brute force that holds across the whole edge: failed password and 2FA
 * attempts are counted per account in D1, with exponential backoff after 5.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { FREE_FAILURES, MAX_BLOCK_SECONDS, recordFailure } from '../../src/auth/backoff';
import { clientKey } from '../../src/auth/throttle';
import { createDb } from '../../src/db/client';
import { keyedHash } from '../../src/lib/keys';
import { adminToken, call, createUser, expectProblem, json, withoutRequestId } from '../helpers/api';
import { inOneLimiterWindow } from '../helpers/limiter-window';
import { enableTwoFactor, totpCode, wrongCode } from '../helpers/totp';

const signIn = (email: string, password: string, code?: string) =>
  call('POST', '/api/auth/login', { body: { email, password, ...(code ? { code } : {}) } });

/** Lets the current block run out, as waiting `Retry-After` would. */
const unblock = () => env.DB.prepare('update sign_in_failures set blocked_until = 0').run();

async function failFiveTimes(email: string) {
  for (let i = 0; i < FREE_FAILURES; i++) await expectProblem(signIn(email, `Wrong-Password-${i}`), 401, 'invalid_credentials');
}

describe('per-account backoff of failed sign-ins', () => {
  it('after 5 failures refuses even the right password with 429 and the exact Retry-After', async () => {
    const u = await createUser();
    await failFiveTimes(u.email);
    const res = await signIn(u.email, u.password);
    expect(res.headers.get('Retry-After')).toBe('1');
    await expectProblem(res, 429, 'rate_limited');
  });

  it('answers an unknown email exactly like a known one', async () => {
    const u = await createUser();
    const unknown = `nobody-${u.id}@cake.test`;
    for (const email of [u.email, unknown]) await failFiveTimes(email);
    const [known, stranger] = await Promise.all([signIn(u.email, 'Wrong-Password-9'), signIn(unknown, 'Wrong-Password-9')]);
    expect([known.status, stranger.status]).toEqual([429, 429]);
    expect(known.headers.get('Retry-After')).toBe(stranger.headers.get('Retry-After'));
    expect(withoutRequestId(await known.json())).toEqual(withoutRequestId(await stranger.json()));
  });

  it('doubles the wait with each further failure, and a success resets the count', async () => {
    const u = await createUser();
    await failFiveTimes(u.email);
    await unblock();
    await expectProblem(signIn(u.email, 'Wrong-Password-6'), 401, 'invalid_credentials');
    expect((await signIn(u.email, u.password)).headers.get('Retry-After')).toBe('2');
    await unblock();
    await json(signIn(u.email, u.password), 200);
    const key = `email:${await keyedHash(env.JWT_SECRET, 'sign-in-failures', u.email)}`;
    expect(await env.DB.prepare('select * from sign_in_failures where key = ?').bind(key).first()).toBeNull();
    // Counting starts over (and the per-location limiter of 10 a minute is near: no more attempts here).
    await expectProblem(signIn(u.email, 'Wrong-Password-7'), 401, 'invalid_credentials');
    const row = await env.DB.prepare('select failures, blocked_until from sign_in_failures where key = ?').bind(key).first();
    expect(row).toEqual({ failures: 1, blocked_until: null });
  });

  it('forgets the failures at an email nobody had once an account registers it', async () => {
    const email = `later-${crypto.randomUUID()}@cake.test`;
    const password = 'Late-Comer-Cake-7';
    await failFiveTimes(email);
    await unblock();
    await expectProblem(signIn(email, 'Wrong-Password-6'), 401, 'invalid_credentials'); // blocks it for 2 s
    const { userId } = await json(call('POST', '/api/auth/register', { body: { name: 'Late Comer', email, password } }), 201);
    const key = `email:${await keyedHash(env.JWT_SECRET, 'sign-in-failures', email)}`;
    expect(await env.DB.prepare('select * from sign_in_failures where key = ?').bind(key).first()).toBeNull();
    await json(call('PUT', `/api/admin/users/${userId}/status`, { token: await adminToken(), body: { isActive: true } }), 200);
    await json(signIn(email, password), 200);
  });

  it('counts wrong 2FA codes like wrong passwords (RFC 6238 §5.2)', async () => {
    const u = await createUser();
    const { secret } = await enableTwoFactor(u.token);
    const wrong = wrongCode(secret);
    for (let i = 0; i < FREE_FAILURES; i++) await expectProblem(signIn(u.email, u.password, wrong), 401, 'invalid_code');
    await expectProblem(signIn(u.email, u.password, totpCode(secret, 1)), 429, 'rate_limited');
  });

  it('does not lock an account out by failures at other emails or by its own successes', async () => {
    const u = await createUser();
    for (let i = 0; i < FREE_FAILURES + 1; i++) {
      await expectProblem(signIn(`x${i}-${u.email}`, 'Wrong-Password-1'), 401, 'invalid_credentials');
      await json(signIn(u.email, u.password), 200);
    }
  });

  it('counts a signed-in user’s wrong current password against the account', async () => {
    const u = await createUser();
    const change = (currentPassword: string) =>
      call('POST', '/api/user/change-password', {
        token: u.token,
        body: { currentPassword, newPassword: 'Another-Cake-Pass-3' },
      });
    for (let i = 0; i < FREE_FAILURES; i++) await expectProblem(change(`Wrong-Password-${i}`), 401, 'invalid_credentials');
    await expectProblem(change(u.password), 429, 'rate_limited');
  });

  it('waits 1 s, 2 s, 4 s … after the fifth failure, at most 15 minutes', async () => {
    // The statement that counts a failure, run as a sign-in would: the wait after each failure.
    const db = createDb(env.DB);
    const key = `test:${crypto.randomUUID()}`;
    const now = 1_800_000_000_000;
    const waits: number[] = [];
    for (let failure = 1; failure <= 20; failure++) {
      await recordFailure(db, key, now);
      const row = await env.DB.prepare('select blocked_until from sign_in_failures where key = ?')
        .bind(key)
        .first<{ blocked_until: number | null }>();
      waits.push(row!.blocked_until === null ? 0 : (row!.blocked_until - now) / 1000);
    }
    expect(waits.slice(0, 4)).toEqual([0, 0, 0, 0]);
    expect(waits.slice(4, 8)).toEqual([1, 2, 4, 8]);
    expect(waits[13]).toBe(512);
    expect(waits[14]).toBe(MAX_BLOCK_SECONDS);
    expect(waits[19]).toBe(MAX_BLOCK_SECONDS);
  });
});

describe('per-IP keys', () => {
  it('take IPv6 addresses by their /64 prefix and IPv4 (also mapped) as is', () => {
    expect(clientKey('203.0.113.7')).toBe('203.0.113.7');
    expect(clientKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientKey('2001:db8:85a3:12::8a2e:370:7334')).toBe('2001:db8:85a3:12::/64');
    expect(clientKey('2001:0db8:85a3:0012:ffff:ffff:ffff:ffff')).toBe('2001:db8:85a3:12::/64');
    expect(clientKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientKey('2001:DB8::2')).toBe(clientKey('2001:db8::1'));
  });

  it('throttle a whole /64 as one client', async () => {
    await inOneLimiterWindow(async () => {
      // A prefix of its own per attempt: a retry counts from zero.
      const prefix = `2001:db8:77:${crypto.getRandomValues(new Uint16Array(1))[0]!.toString(16)}::`;
      let throttled: Response | undefined;
      for (let i = 1; i <= 25 && !throttled; i++) {
        const res = await call('POST', '/api/auth/login', {
          ip: `${prefix}${i.toString(16)}`,
          body: { email: `v6-${i}-${crypto.randomUUID()}@cake.test`, password: 'Wrong-Password-1' },
        });
        if (res.status === 429) throttled = res;
      }
      expect(throttled, 'no request was throttled').toBeDefined();
      expect(throttled!.headers.get('Retry-After')).toMatch(/^[1-9]\d*$/);
      await expectProblem(throttled!, 429, 'rate_limited');
    });
  });
});
