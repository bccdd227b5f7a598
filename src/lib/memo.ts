/**
 * An isolate-lifetime memo bounded by its entry count, oldest out first: only
 * for entries of a fixed, small size, where a count bounds the memory (memos
 * whose entries vary in size use SizedMemo, src/lib/sized-memo.ts).
 */
export function remember<K, V>(memo: Map<K, V>, kept: number, key: K, value: V): V {
  if (memo.size >= kept && !memo.has(key)) memo.delete(memo.keys().next().value!);
  memo.set(key, value);
  return value;
}
