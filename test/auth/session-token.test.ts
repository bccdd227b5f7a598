/**
 * The session token as a unit: readToken() remembers which tokens it has
 * verified in this isolate, and that memory must never make a token last
 * longer or count under another key than its signature and claims allow.
 */
import jwt from '@tsndr/cloudflare-worker-jwt';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AUDIENCE, ISSUER, issueToken, readToken } from '../../src/auth/jwt';

const SECRET = 'session-token-test-secret-0123456789abcdef';

afterEach(() => vi.useRealTimers());

describe('happy', () => {
  it('reads the same session from a token every time it is sent', async () => {
    const { token } = await issueToken(SECRET, { sub: 'user-1', tv: 3, auth_time: 1_800_000_000 });
    const first = await readToken(SECRET, token);
    expect(first).toMatchObject({ userId: 'user-1', tokenVersion: 3, signedInAt: 1_800_000_000 });
    expect(first!.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await readToken(SECRET, token)).toEqual(first);
  });
});

describe('security', () => {
  it('refuses a token once it expires, although it was accepted before', async () => {
    const { token, expiresAt } = await issueToken(SECRET, { sub: 'user-2', tv: 0 });
    expect(await readToken(SECRET, token)).toMatchObject({ userId: 'user-2' });
    vi.useFakeTimers();
    vi.setSystemTime(Date.parse(expiresAt) + 1_000);
    expect(await readToken(SECRET, token)).toBeNull();
    expect(await readToken(SECRET, token)).toBeNull();
  });

  it('refuses a token accepted under one secret when the Worker has another', async () => {
    const { token } = await issueToken(SECRET, { sub: 'user-3', tv: 0 });
    expect(await readToken(SECRET, token)).toMatchObject({ userId: 'user-3' });
    expect(await readToken(`${SECRET}-rotated`, token)).toBeNull();
    // The rotated secret's refusal does not replace what the first secret verified.
    expect(await readToken(SECRET, token)).toMatchObject({ userId: 'user-3' });
  });

  it('never remembers a refused token as valid', async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: 'user-4', tv: 0, iss: ISSUER, aud: AUDIENCE, iat: now, exp: now + 3600 };
    const forged = await jwt.sign(claims, 'another-key-entirely-0123456789abcdef', { algorithm: 'HS256' });
    expect(await readToken(SECRET, forged)).toBeNull();
    expect(await readToken(SECRET, forged)).toBeNull();
    const wrongAudience = await jwt.sign({ ...claims, aud: 'someone-else' }, SECRET, { algorithm: 'HS256' });
    expect(await readToken(SECRET, wrongAudience)).toBeNull();
  });

  it('hands out a session nobody can change for the next request', async () => {
    const { token } = await issueToken(SECRET, { sub: 'user-5', tv: 1 });
    const session = (await readToken(SECRET, token))!;
    expect(() => {
      (session as { userId: string }).userId = 'someone-else';
    }).toThrow(TypeError);
    expect((await readToken(SECRET, token))!.userId).toBe('user-5');
  });
});
