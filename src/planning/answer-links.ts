/**
 * The accept and decline links of an assignment mail: signed for that
 * assignment and answer with a key derived for this purpose alone (an
 * HMAC under `assignment-answer`, src/lib/keys.ts), so a link can neither
 * be made up nor moved to another assignment or answer. It needs no
 * expiry of its own: the assignment's date ends it (checked against the
 * row), and its status makes it usable once.
 */
import { fromBase64Url, timingSafeEqual, toBase64Url } from '../lib/encoding';
import { hmac } from '../lib/hmac';
import { purposeKey } from '../lib/keys';

export const ANSWERS = ['accept', 'decline'] as const;
export type Answer = (typeof ANSWERS)[number];

/** 128 bits of the MAC are plenty for a link that dies with its date. */
const SIGNATURE_BYTES = 16;

async function mac(secret: string, id: string, answer: Answer): Promise<Uint8Array> {
  return (await hmac(await purposeKey(secret, 'assignment-answer'), `${id}|${answer}`)).slice(0, SIGNATURE_BYTES);
}

const answerPath = (id: string, answer: Answer, signature: string) => `/api/answer/${id}/${answer}/${signature}`;

/** The two links of an assignment mail, absolute. */
export async function answerLinks(
  secret: string,
  origin: string,
  id: string,
): Promise<{ acceptUrl: string; declineUrl: string }> {
  const [accept, decline] = await Promise.all(ANSWERS.map(async (a) => toBase64Url(await mac(secret, id, a))));
  return { acceptUrl: origin + answerPath(id, 'accept', accept!), declineUrl: origin + answerPath(id, 'decline', decline!) };
}

export async function isAnswerSignature(secret: string, id: string, answer: Answer, signature: string): Promise<boolean> {
  let given: Uint8Array;
  try {
    given = fromBase64Url(signature);
  } catch {
    return false;
  }
  return given.length === SIGNATURE_BYTES && timingSafeEqual(given, await mac(secret, id, answer));
}
