/** SizedMemo (src/lib/sized-memo.ts): bounded by bytes, least recently read out first, never a stale value. */
import { describe, expect, it } from 'vitest';
import { SizedMemo, stringBytes } from '../../src/lib/sized-memo';

describe('SizedMemo', () => {
  it('drops the least recently read values when full', () => {
    const memo = new SizedMemo<string>(48, stringBytes); // 24 characters, keys included, at most 6 in one entry
    for (const key of ['a', 'b', 'c', 'd']) memo.set(key, key.repeat(5));
    memo.get('a');
    memo.set('e', 'eeeee');
    expect(['a', 'b', 'c', 'd', 'e'].map((key) => memo.get(key))).toEqual(['aaaaa', undefined, 'ccccc', 'ddddd', 'eeeee']);
  });

  it('counts the keys: small values under large keys stay within the bound', () => {
    const memo = new SizedMemo<string>(100, stringBytes); // 50 characters, at most 12 in one entry
    const keys = ['k', 'l', 'm', 'n', 'o'].map((c) => c.repeat(10)); // 11 characters an entry with its value
    for (const key of keys) memo.set(key, 'x');
    expect(keys.map((key) => memo.get(key))).toEqual([undefined, 'x', 'x', 'x', 'x']);
    memo.set('p'.repeat(12), 'x'); // 13 characters: over a quarter of the bound, not kept
    expect(memo.get('p'.repeat(12))).toBeUndefined();
  });

  it('a value too large to keep drops the one it replaces', () => {
    const memo = new SizedMemo<string>(40, stringBytes);
    memo.set('page', 'old');
    memo.set('page', 'x'.repeat(6)); // more than a quarter of the bound
    expect(memo.get('page')).toBeUndefined();
  });
});
