/**
 * The accept and decline links of a swap request's mail, for the other
 * baker: signed for the request, that baker and the answer
 * (src/lib/signed-links.ts). The request's status ends them: it is answered
 * once, and any change of either cake cancels it.
 */
import { isLinkSignature, signLink } from '../lib/signed-links';
import { ANSWERS, type Answer } from '../planning/answer-links';

const swapPath = (id: string, userId: string, answer: Answer, signature: string) =>
  `/api/answer/swap/${id}/${userId}/${answer}/${signature}`;

export async function swapAnswerLinks(
  secret: string,
  origin: string,
  id: string,
  userId: string,
): Promise<{ acceptUrl: string; declineUrl: string }> {
  const [accept, decline] = await Promise.all(ANSWERS.map((a) => signLink(secret, 'swap-answer', [id, userId, a])));
  return {
    acceptUrl: origin + swapPath(id, userId, 'accept', accept!),
    declineUrl: origin + swapPath(id, userId, 'decline', decline!),
  };
}

export const isSwapAnswerSignature = (secret: string, id: string, userId: string, answer: Answer, signature: string) =>
  isLinkSignature(secret, 'swap-answer', [id, userId, answer], signature);
