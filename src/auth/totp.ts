/**
 * TOTP second factor (SHA-1, 6 digits, 30 s, ±1 step) with otpauth.
 * Secrets are stored AES-GCM encrypted with a key from TOTP_ENCRYPTION_KEY;
 * a code is accepted at most once (the last used time step is stored and an
 * update only succeeds for a later step). Recovery codes stand in for a code.
 */
import { and, eq, isNull, lt, or } from 'drizzle-orm';
import { Secret, TOTP } from 'otpauth';
import type { Database } from '../db/client';
import { users } from '../db/schema';
import type { Bindings } from '../env';
import { ApiError } from '../errors';
import { fromBase64Url, toBase64Url } from '../lib/encoding';
import { isTotpCode, useRecoveryCode } from './recovery-codes';

const ISSUER = 'Cake Planner';

export function totpFor(base32Secret: string, label = 'Cake Planner'): TOTP {
  return new TOTP({
    issuer: ISSUER,
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    secret: Secret.fromBase32(base32Secret),
  });
}

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The time step a code belongs to, or null when it matches none within ±1 step. */
export function matchingStep(base32Secret: string, code: string, now = Date.now()): number | null {
  const totp = totpFor(base32Secret);
  const delta = totp.validate({ token: code, timestamp: now, window: 1 });
  return delta === null ? null : totp.counter({ timestamp: now }) + delta;
}

/** One per configured TOTP_ENCRYPTION_KEY: no bound needed. */
const keys = new Map<string, Promise<CryptoKey>>();
function encryptionKey(material: string): Promise<CryptoKey> {
  let key = keys.get(material);
  if (!key) {
    key = crypto.subtle
      .digest('SHA-256', new TextEncoder().encode(`totp-at-rest:${material}`))
      .then((raw) => crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']));
    keys.set(material, key);
  }
  return key;
}

/** Only the key material is read: the importer (Node) seals secrets with the same function. */
export type TotpKeys = Pick<Bindings, 'TOTP_ENCRYPTION_KEY'>;

export async function encryptSecret(env: TotpKeys, secret: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const key = await encryptionKey(env.TOTP_ENCRYPTION_KEY);
  const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, new TextEncoder().encode(secret));
  return `${toBase64Url(iv)}.${toBase64Url(new Uint8Array(sealed))}`;
}

export async function decryptSecret(env: TotpKeys, stored: string): Promise<string> {
  const [iv, sealed] = stored.split('.');
  const key = await encryptionKey(env.TOTP_ENCRYPTION_KEY);
  const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64Url(iv!) }, key, fromBase64Url(sealed!));
  return new TextDecoder().decode(plain);
}

/**
 * Whether `code` proves the second factor: a TOTP code of the user's stored
 * (encrypted) active secret, whose time step it consumes, or one of their
 * unused recovery codes, which it uses up. A replayed code is false.
 */
export async function secondFactorMatches(
  env: Bindings,
  db: Database,
  userId: string,
  encryptedSecret: string,
  code: string,
): Promise<boolean> {
  if (!isTotpCode(code)) return useRecoveryCode(db, env.JWT_SECRET, userId, code);
  const step = matchingStep(await decryptSecret(env, encryptedSecret), code);
  return step !== null && (await consumeStep(db, userId, step));
}

export const wrongCode = () => new ApiError('invalid_code', 'The two-factor code is wrong or was already used.');

/** Records `step` as used; false when it (or a later one) was used already. */
async function consumeStep(db: Database, userId: string, step: number): Promise<boolean> {
  const updated = await db
    .update(users)
    .set({ totpLastStep: step })
    .where(and(eq(users.id, userId), or(isNull(users.totpLastStep), lt(users.totpLastStep, step))))
    .returning({ id: users.id });
  return updated.length === 1;
}
