import { describe, expect, it } from 'vitest';
import { COMMON_PASSWORDS } from '../../src/auth/common-passwords';
import { isCommonPassword } from '../../src/auth/password-policy';

describe('the common-password list (a text module)', () => {
  it('loads as the file’s lines: 5,004 lower-cased passwords, sorted, none empty or repeated', () => {
    expect(COMMON_PASSWORDS).toHaveLength(5004);
    expect(COMMON_PASSWORDS).toEqual(expect.arrayContaining(['password', '12345678', '123456789', 'qwertz1234']));
    expect([...COMMON_PASSWORDS].sort()).toEqual(COMMON_PASSWORDS);
    expect(COMMON_PASSWORDS.every((p) => p.length >= 8 && p === p.toLowerCase() && !/\s/.test(p))).toBe(true);
    expect(new Set(COMMON_PASSWORDS).size).toBe(COMMON_PASSWORDS.length);
  });

  it('is checked case-insensitively', () => {
    expect(isCommonPassword('SunShine')).toBe(true);
    expect(isCommonPassword('not-on-any-list-7f3k')).toBe(false);
  });
});
