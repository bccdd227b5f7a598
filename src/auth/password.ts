/**
 * Argon2id password hashing at OWASP's minimum (m=19456 KiB, t=2, p=1),
 * stored as a PHC string (src/auth/phc.ts) so that parameters can change
 * later: a login with a hash of other parameters than `CURRENT` re-hashes
 * (see `needsRehash`), including hashes imported from the original server.
 *
 * The wasm modules are imported as modules so wrangler precompiles them
 * (workerd refuses runtime compilation); one instance per isolate is reused.
 */
import setupWasm from 'argon2id/lib/setup.js';
import simdModule from 'argon2id/dist/simd.wasm';
import noSimdModule from 'argon2id/dist/no-simd.wasm';
import { formatHash, isUsableHash, needsRehashFor, verifyWith, type ComputeHash } from './phc';

export const CURRENT = { m: 19456, t: 2, p: 1 } as const;
const TAG_LENGTH = 32;

let hasher: Promise<ComputeHash> | undefined;

function argon2(): Promise<ComputeHash> {
  hasher ??= setupWasm(
    async (imports) => ({ instance: await WebAssembly.instantiate(simdModule, imports) }),
    async (imports) => ({ instance: await WebAssembly.instantiate(noSimdModule, imports) }),
  ).catch((error) => {
    hasher = undefined;
    throw error;
  });
  return hasher;
}

const encoder = new TextEncoder();

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const hash = (await argon2())({
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
  const compute = await argon2();
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
