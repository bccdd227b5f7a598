/**
 * Argon2id password hashing at OWASP's minimum (m=19456 KiB, t=2, p=1),
 * stored as a PHC string so that parameters can be raised later: a login
 * with a hash weaker than `CURRENT` re-hashes (see `needsRehash`).
 *
 * The wasm modules are imported as modules so wrangler precompiles them
 * (workerd refuses runtime compilation); one instance per isolate is reused.
 */
import setupWasm from 'argon2id/lib/setup.js';
import simdModule from 'argon2id/dist/simd.wasm';
import noSimdModule from 'argon2id/dist/no-simd.wasm';
import { fromBase64NoPad, timingSafeEqual, toBase64NoPad } from '../lib/encoding';

export const CURRENT = { m: 19456, t: 2, p: 1 } as const;
const TAG_LENGTH = 32;

type ComputeHash = Awaited<ReturnType<typeof setupWasm>>;
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
  return `$argon2id$v=19$m=${CURRENT.m},t=${CURRENT.t},p=${CURRENT.p}$${toBase64NoPad(salt)}$${toBase64NoPad(hash)}`;
}

interface Parsed {
  m: number;
  t: number;
  p: number;
  salt: Uint8Array;
  hash: Uint8Array;
}

function parse(phc: string): Parsed | null {
  const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(phc);
  if (!match) return null;
  return {
    m: Number(match[1]),
    t: Number(match[2]),
    p: Number(match[3]),
    salt: fromBase64NoPad(match[4]!),
    hash: fromBase64NoPad(match[5]!),
  };
}

/** argon2id refuses passwords under 8 bytes; no stored password is that short. */
const MIN_PASSWORD_BYTES = 8;

export async function verifyPassword(phc: string, password: string): Promise<boolean> {
  const parsed = parse(phc);
  if (!parsed) return false;
  const bytes = encoder.encode(password);
  // A too-short password is wrong, but costs the same hash as any other.
  const tooShort = bytes.length < MIN_PASSWORD_BYTES;
  const candidate = (await argon2())({
    password: tooShort ? new Uint8Array(MIN_PASSWORD_BYTES) : bytes,
    salt: parsed.salt,
    parallelism: parsed.p,
    passes: parsed.t,
    memorySize: parsed.m,
    tagLength: parsed.hash.length,
  });
  return timingSafeEqual(candidate, parsed.hash) && !tooShort;
}

export function needsRehash(phc: string): boolean {
  const parsed = parse(phc);
  return !parsed || parsed.m < CURRENT.m || parsed.t < CURRENT.t || parsed.p < CURRENT.p;
}

/**
 * A valid hash of a random password nobody knows (generated once, not a
 * secret), with the `CURRENT` parameters: verifying an unknown email against
 * it costs the same time as a known one, so timing does not reveal accounts,
 * and no isolate pays for hashing it first. Regenerate it whenever `CURRENT`
 * changes (a test checks that they match).
 */
export const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$EHPC7cvvb0/hhpEVyBnDVQ$NZFy1qsMNHoGlUXaMr+zF5J7CnC3HURPqPxOiuvVcUQ';
