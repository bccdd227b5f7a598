/**
 * Isolate-lifetime memos (verified tokens, signed photo paths, written
 * calendar events): each is a Map bounded by its entry count, oldest out first.
 */
export function remember<K, V>(memo: Map<K, V>, kept: number, key: K, value: V): V {
  if (memo.size >= kept && !memo.has(key)) memo.delete(memo.keys().next().value!);
  memo.set(key, value);
  return value;
}
