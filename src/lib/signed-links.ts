/**
 * The signatures of one-click mail links (an assignment's or a swap request's accept and decline,
 * a hand-over's "take it"): an HMAC of what the link is for under a key
 * derived for that purpose alone (src/lib/keys.ts), so a link can neither be
 * made up nor moved to another subject, answer or recipient. Links need no
 * expiry of their own: what they act on ends them (a date, a status).
 */
import { fromBase64Url, timingSafeEqual, toBase64Url } from './encoding';
import { hmac } from './hmac';
import { type KeyPurpose, purposeKey } from './keys';

/** 128 bits of the MAC are plenty for a link that dies with its date. */
const SIGNATURE_BYTES = 16;

type LinkPurpose = Extract<KeyPurpose, 'assignment-answer' | 'handover-take' | 'swap-answer'>;

async function mac(secret: string, purpose: LinkPurpose, parts: readonly string[]): Promise<Uint8Array> {
  return (await hmac(await purposeKey(secret, purpose), parts.join('|'))).slice(0, SIGNATURE_BYTES);
}

/** The signature of a link for `parts` (base64url). */
export async function signLink(secret: string, purpose: LinkPurpose, parts: readonly string[]): Promise<string> {
  return toBase64Url(await mac(secret, purpose, parts));
}

/** Whether `signature` was made by `signLink` for these parts; false for anything malformed. */
export async function isLinkSignature(
  secret: string,
  purpose: LinkPurpose,
  parts: readonly string[],
  signature: string,
): Promise<boolean> {
  let given: Uint8Array;
  try {
    given = fromBase64Url(signature);
  } catch {
    return false;
  }
  // Only the canonical spelling: the last character's spare bits would
  // otherwise give every signature several spellings that all pass.
  if (given.length !== SIGNATURE_BYTES || toBase64Url(given) !== signature) return false;
  return timingSafeEqual(given, await mac(secret, purpose, parts));
}
