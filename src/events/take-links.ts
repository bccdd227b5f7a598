/**
 * The "take it" link of a hand-over offer's mail: one per recipient, signed
 * for that offer and that member (src/lib/signed-links.ts), so it takes the
 * cake for the member it was sent to and nobody else. The offer's status and
 * date end it.
 */
import { isLinkSignature, signLink } from '../lib/signed-links';

export async function takeLink(secret: string, origin: string, handoverId: string, userId: string): Promise<string> {
  return `${origin}/api/answer/take/${handoverId}/${userId}/${await signLink(secret, 'handover-take', [handoverId, userId])}`;
}

export const isTakeSignature = (secret: string, handoverId: string, userId: string, signature: string) =>
  isLinkSignature(secret, 'handover-take', [handoverId, userId], signature);
