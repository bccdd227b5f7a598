/** SizedMemo (src/lib/sized-memo.ts): bounded by bytes, least recently read out first, never a stale value. */
import { describe, expect, it } from 'vitest';
import { SizedMemo, stringBytes } from '../../src/lib/sized-memo';

describe('SizedMemo', () => {
  it('drops the least recently read values when full', () => {
    const memo = new SizedMemo<string>(40, stringBytes); // 20 characters, at most 5 in one value
    for (const key of ['a', 'b', 'c', 'd']) memo.set(key, key.repeat(5));
    memo.get('a');
    memo.set('e', 'eeeee');
    expect(['a', 'b', 'c', 'd', 'e'].map((key) => memo.get(key))).toEqual(['aaaaa', undefined, 'ccccc', 'ddddd', 'eeeee']);
  });

  it('a value too large to keep drops the one it replaces', () => {
    const memo = new SizedMemo<string>(40, stringBytes);
    memo.set('page', 'old');
    memo.set('page', 'x'.repeat(6)); // more than a quarter of the bound
    expect(memo.get('page')).toBeUndefined();
  });
});
