/**
 * An isolate-lifetime memo bounded by the memory its entries take, keys
 * included (a key may be as large as its value), the least recently read
 * out first: for answers worth keeping whose sizes differ by orders of
 * magnitude, where a count would bound nothing. An entry larger than a
 * quarter of the bound is not kept.
 */
export class SizedMemo<V> {
  readonly #entries = new Map<string, V>();
  #bytes = 0;
  // Plain fields, not parameter properties: Node's scripts load this module
  // through src/lib/time.ts with type stripping, which has no parameter properties.
  private readonly maxBytes: number;
  private readonly bytesOf: (value: V) => number;

  constructor(maxBytes: number, bytesOf: (value: V) => number) {
    this.maxBytes = maxBytes;
    this.bytesOf = bytesOf;
  }

  get(key: string): V | undefined {
    const value = this.#entries.get(key);
    if (value === undefined) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  set(key: string, value: V): void {
    // The old value goes even when the new one is too large to keep: it is stale either way.
    this.delete(key);
    const size = this.#size(key, value);
    if (size > this.maxBytes / 4) return;
    while (this.#bytes + size > this.maxBytes) this.delete(this.#entries.keys().next().value!);
    this.#entries.set(key, value);
    this.#bytes += size;
  }

  delete(key: string): void {
    const old = this.#entries.get(key);
    if (old === undefined) return;
    this.#entries.delete(key);
    this.#bytes -= this.#size(key, old);
  }

  #size(key: string, value: V): number {
    return stringBytes(key) + this.bytesOf(value);
  }
}

/** What a string costs at most in V8: two bytes a character. */
export const stringBytes = (s: string) => s.length * 2;
