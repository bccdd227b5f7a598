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

export async function verifyPassword(phc: string, password: string): Promise<boolean> {
  const parsed = parse(phc);
  if (!parsed) return false;
  const candidate = (await argon2())({
    password: encoder.encode(password),
    salt: parsed.salt,
    parallelism: parsed.p,
    passes: parsed.t,
    memorySize: parsed.m,
    tagLength: parsed.hash.length,
  });
  return timingSafeEqual(candidate, parsed.hash);
}

export function needsRehash(phc: string): boolean {
  const parsed = parse(phc);
  return !parsed || parsed.m < CURRENT.m || parsed.t < CURRENT.t || parsed.p < CURRENT.p;
}

/**
 * A valid hash of a random password: verifying an unknown email against it
 * costs the same time as a known one, so timing does not reveal accounts.
 */
let dummy: Promise<string> | undefined;
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(crypto.randomUUID());
  return dummy;
}
