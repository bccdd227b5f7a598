/**
 * Argon2id PHC strings (`$argon2id$v=19$m=…,t=…,p=…$<salt>$<hash>`): parsing,
 * formatting and verification against any Argon2id implementation. No wasm
 * here, so the importer (scripts/import, in Node) reads and checks hashes
 * with the same rules as the Worker.
 *
 * A stored hash may name other parameters than this project's: accounts
 * imported from the original CakePlanner server carry m=65536, t=3, p=4.
 * Verification uses whatever a hash names, within `LIMITS`, so that nothing
 * stored can make a login exceed the Worker's memory or CPU.
 */
import type { Argon2idParams } from 'argon2id/lib/setup.js';
import { fromBase64NoPad, timingSafeEqual, toBase64NoPad } from '../lib/encoding';

export interface Argon2Params {
  /** Memory in KiB. */
  m: number;
  /** Passes. */
  t: number;
  /** Lanes. */
  p: number;
}

export interface ParsedHash extends Argon2Params {
  salt: Uint8Array;
  hash: Uint8Array;
}

/** One Argon2id computation, as the `argon2id` package's setup returns it. */
export type ComputeHash = (params: Argon2idParams) => Uint8Array;

/**
 * The most a stored hash may ask for: the original server's m=64 MiB, t=3
 * (m × t bounds the work), up to 16 lanes. A Worker isolate has 128 MB; the
 * wasm memory holds m KiB.
 */
export const LIMITS = { m: 65536, work: 65536 * 3, p: 16, minSalt: 8, minTag: 16, maxTag: 64 } as const;

const B64 = /^[A-Za-z0-9+/]+$/;

/**
 * Reads a PHC string. Parameters may come in any order (the reference C
 * library writes m,t,p; others sort them); base64 is unpadded, as PHC says.
 */
export function parseHash(phc: string): ParsedHash | null {
  const parts = phc.split('$');
  if (parts.length !== 6 || parts[0] !== '' || parts[1] !== 'argon2id' || parts[2] !== 'v=19') return null;
  const params = new Map<string, number>();
  for (const pair of parts[3]!.split(',')) {
    const match = /^([mtp])=(\d{1,10})$/.exec(pair);
    if (!match || params.has(match[1]!)) return null;
    params.set(match[1]!, Number(match[2]));
  }
  const [salt, hash] = [parts[4]!, parts[5]!];
  if (params.size !== 3 || !B64.test(salt) || !B64.test(hash)) return null;
  return {
    m: params.get('m')!,
    t: params.get('t')!,
    p: params.get('p')!,
    salt: fromBase64NoPad(salt),
    hash: fromBase64NoPad(hash),
  };
}

/** Within what this Worker will compute (see LIMITS), and a valid Argon2 parameter set. */
function isVerifiable(parsed: ParsedHash): boolean {
  const { m, t, p, salt, hash } = parsed;
  return (
    p >= 1 &&
    p <= LIMITS.p &&
    t >= 1 &&
    m >= 8 * p &&
    m <= LIMITS.m &&
    m * t <= LIMITS.work &&
    salt.length >= LIMITS.minSalt &&
    hash.length >= LIMITS.minTag &&
    hash.length <= LIMITS.maxTag
  );
}

/** A stored hash this Worker can verify at all (an imported account may hold an empty or foreign one). */
export function isUsableHash(phc: string): boolean {
  const parsed = parseHash(phc);
  return parsed !== null && isVerifiable(parsed);
}

export const formatHash = (params: Argon2Params, salt: Uint8Array, hash: Uint8Array) =>
  `$argon2id$v=19$m=${params.m},t=${params.t},p=${params.p}$${toBase64NoPad(salt)}$${toBase64NoPad(hash)}`;

const encoder = new TextEncoder();

/**
 * True when `password` matches `phc`. A hash this Worker cannot read or will
 * not compute matches nothing. The `argon2id` package refuses an empty
 * password (login asks for at least one character); the original server set
 * no minimum length, so shorter passwords are verified as they are.
 */
export function verifyWith(compute: ComputeHash, phc: string, password: string): boolean {
  const parsed = parseHash(phc);
  if (!parsed || !isVerifiable(parsed)) return false;
  const bytes = encoder.encode(password);
  if (bytes.length === 0) return false;
  const candidate = compute({
    password: bytes,
    salt: parsed.salt,
    parallelism: parsed.p,
    passes: parsed.t,
    memorySize: parsed.m,
    tagLength: parsed.hash.length,
  });
  return timingSafeEqual(candidate, parsed.hash);
}

/**
 * A hash whose parameters differ from `current` in any way is replaced on
 * the next successful login: weaker ones get stronger, and heavier ones
 * (the original server's 64 MiB) stop costing every login three times the CPU.
 */
export function needsRehashFor(current: Argon2Params, phc: string): boolean {
  const parsed = parseHash(phc);
  return !parsed || parsed.m !== current.m || parsed.t !== current.t || parsed.p !== current.p;
}
