/**
 * Purpose-bound keys. Each use of the server secret (calendar-feed tokens,
 * recovery codes, temporary passwords, sign-in failure keys, list cursors,
 * the user hash of log lines, the answer links of assignment mails,
 * channel URLs and signing secrets at rest)
 * gets its own key, derived with HKDF-SHA-256 under a label, so no MAC made
 * for one purpose is valid for another and none is made with `JWT_SECRET` as
 * such.
 */
import { toHex } from './encoding';
import { hmac } from './hmac';

export type KeyPurpose =
  | 'calendar-feed'
  | 'recovery-code'
  | 'temporary-password'
  | 'sign-in-failures'
  | 'page-cursor'
  | 'log-user'
  | 'assignment-answer'
  | 'handover-take'
  | 'swap-answer'
  | 'channel-secrets';

const derived = new Map<string, Promise<string>>();

/** The key for `purpose` (hex), derived once per isolate: one per purpose and configured secret, no bound needed. */
export function purposeKey(secret: string, purpose: KeyPurpose): Promise<string> {
  const id = `${purpose}\u0000${secret}`;
  let key = derived.get(id);
  if (!key) {
    const encoder = new TextEncoder();
    key = crypto.subtle
      .importKey('raw', encoder.encode(secret), 'HKDF', false, ['deriveBits'])
      .then((base) =>
        crypto.subtle.deriveBits(
          { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: encoder.encode(`cake-planner ${purpose}`) },
          base,
          256,
        ),
      )
      .then((bits) => toHex(new Uint8Array(bits)));
    derived.set(id, key);
  }
  return key;
}

/** Hex HMAC of `message` under the key for `purpose`. */
export async function keyedHash(secret: string, purpose: KeyPurpose, message: string): Promise<string> {
  return toHex(await hmac(await purposeKey(secret, purpose), message));
}
