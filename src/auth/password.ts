/**
 * Argon2id password hashing at OWASP's minimum (m=19456 KiB, t=2, p=1),
 * stored as a PHC string (src/auth/phc.ts) so that parameters can change
 * later: a login with a hash of other parameters than `CURRENT` re-hashes
 * (see `needsRehash`), including hashes imported from the original server.
 *
 * The wasm modules are imported as modules so wrangler precompiles them
 * (workerd refuses runtime compilation). They are the `argon2id` package's,
 * save for the minimum memory they import (scripts/argon2id-wasm.mjs): as
 * published they want 65 MiB before the first hash, whatever it needs, in an
 * isolate of 128 MB. Here each hash gets a memory of the size it needs: the
 * `CURRENT` parameters' (19 MiB) is kept for the isolate's life, and a heavier
 * hash (an imported 64 MiB one, verified once before it is re-hashed) gets a
 * memory of its own that goes when it is done.
 */
import argon2id from 'argon2id/lib/argon2id.js';
import noSimdModule from './argon2id/no-simd.wasm';
import simdModule from './argon2id/simd.wasm';
import { type ComputeHash, formatHash, isUsableHash, needsRehashFor, verifyWith } from './phc';

export const CURRENT = { m: 19456, t: 2, p: 1 } as const;
const TAG_LENGTH = 32;

const PAGE_BYTES = 64 * 1024;
/** The pages a hash of `m` KiB takes: its blocks and the 10 KiB the package keeps beside them (lib/argon2id.js). */
const pagesFor = (m: number) => Math.ceil(((m + 10) * 1024) / PAGE_BYTES);

/** The SIMD build, unless this runtime refuses it: then the other one from then on. */
let simd = true;

/** A hasher on a memory of `pages` that never grows past them. */
function hasherWith(pages: number): { compute: ComputeHash; memory: WebAssembly.Memory } {
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  const imports = { env: { memory } };
  let instance: WebAssembly.Instance | undefined;
  if (simd) {
    try {
      instance = new WebAssembly.Instance(simdModule, imports);
    } catch {
      simd = false;
    }
  }
  instance ??= new WebAssembly.Instance(noSimdModule, imports);
  const wasm = instance;
  return { memory, compute: (params) => argon2id(params, { instance: wasm, memory }) };
}

let kept: ReturnType<typeof hasherWith> | undefined;

/** Computes on the kept memory, or on a memory of its own for a hash larger than `CURRENT`. */
const compute: ComputeHash = (params) => {
  if (params.memorySize > CURRENT.m) return hasherWith(pagesFor(params.memorySize)).compute(params);
  kept ??= hasherWith(pagesFor(CURRENT.m));
  return kept.compute(params);
};

/** Bytes of wasm memory this isolate keeps for hashing (0 before its first hash). */
export const keptHashMemoryBytes = (): number => kept?.memory.buffer.byteLength ?? 0;

const encoder = new TextEncoder();

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const hash = compute({
    password: encoder.encode(password),
    salt,
    parallelism: CURRENT.p,
    passes: CURRENT.t,
    memorySize: CURRENT.m,
    tagLength: TAG_LENGTH,
  });
  return formatHash(CURRENT, salt, hash);
}

/** Verifies against the parameters the stored hash names (within phc.ts's LIMITS). */
export async function verifyPassword(phc: string, password: string): Promise<boolean> {
  if (isUsableHash(phc)) return verifyWith(compute, phc, password);
  // An account without a usable hash (imported empty) costs what a wrong password costs.
  verifyWith(compute, DUMMY_HASH, password);
  return false;
}

export const needsRehash = (phc: string): boolean => needsRehashFor(CURRENT, phc);

/**
 * A valid hash of a random password nobody knows (generated once, not a
 * secret), with the `CURRENT` parameters: verifying an unknown email against
 * it costs the same time as a known one, so timing does not reveal accounts,
 * and no isolate pays for hashing it first. Regenerate it whenever `CURRENT`
 * changes (a test checks that they match).
 */
export const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$EHPC7cvvb0/hhpEVyBnDVQ$NZFy1qsMNHoGlUXaMr+zF5J7CnC3HURPqPxOiuvVcUQ';
