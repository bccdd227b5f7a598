/**
 * Hashes made by another Argon2 implementation (the reference C library,
 * through the `argon2` package, at test-build time: test/setup/reference-hashes.ts)
 * at the original server's parameters (m=64 MiB, t=3, p=4) verify here, and
 * are replaced by this project's parameters on the first successful login.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { CURRENT, needsRehash, verifyPassword } from '../../src/auth/password';
import { isUsableHash, LIMITS, parseHash } from '../../src/auth/phc';
import { ORIGINAL_PASSWORDS } from '../import/original-passwords';

const hashes = env.TEST_ORIGINAL_HASHES;

describe('an Argon2id hash from the reference implementation', () => {
  it('verifies in both parameter orders and refuses a wrong password', async () => {
    const { reference, original } = hashes.member;
    expect(original).toMatch(/^\$argon2id\$v=19\$m=65536,t=3,p=4\$/);
    expect(await verifyPassword(original, ORIGINAL_PASSWORDS.member)).toBe(true);
    expect(await verifyPassword(reference, ORIGINAL_PASSWORDS.member)).toBe(true);
    expect(await verifyPassword(original, `${ORIGINAL_PASSWORDS.member}!`)).toBe(false);
  });

  it('verifies a password shorter than this project allows (the original had no minimum)', async () => {
    expect(ORIGINAL_PASSWORDS.short.length).toBeLessThan(8);
    expect(await verifyPassword(hashes.short.original, ORIGINAL_PASSWORDS.short)).toBe(true);
    expect(await verifyPassword(hashes.short.original, 'kuche')).toBe(false);
  });

  it('needs a re-hash: its parameters are not this project’s', () => {
    expect(needsRehash(hashes.member.original)).toBe(true);
    expect(parseHash(hashes.member.original)).toMatchObject({ m: 65536, t: 3, p: 4 });
    expect(CURRENT).not.toMatchObject({ m: 65536, t: 3, p: 4 });
  });
});

describe('hashes the Worker will not compute', () => {
  it('match nothing and are not usable: empty, foreign, or beyond the limits', async () => {
    const { salt, hash } = (() => {
      const [, , , , s, h] = hashes.member.original.split('$');
      return { salt: s!, hash: h! };
    })();
    const heavy = `$argon2id$v=19$m=${LIMITS.m * 2},t=3,p=4$${salt}$${hash}`;
    const slow = `$argon2id$v=19$m=65536,t=4,p=4$${salt}$${hash}`;
    for (const stored of ['', '$2b$12$abcdefghijklmnopqrstuv', heavy, slow, '$argon2id$v=19$m=65536,t=3$x$y']) {
      expect(isUsableHash(stored), stored).toBe(false);
      expect(await verifyPassword(stored, ORIGINAL_PASSWORDS.member), stored).toBe(false);
    }
  });
});
