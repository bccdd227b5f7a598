/**
 * The accept and decline links of an assignment mail, signed for that
 * assignment and answer (src/lib/signed-links.ts). The assignment's date
 * ends a link (checked against the row), and its status makes it usable once.
 */
import { isLinkSignature, signLink } from '../lib/signed-links';

export const ANSWERS = ['accept', 'decline'] as const;
export type Answer = (typeof ANSWERS)[number];

const answerPath = (id: string, answer: Answer, signature: string) => `/api/answer/${id}/${answer}/${signature}`;

/** The two links of an assignment mail, absolute. */
export async function answerLinks(
  secret: string,
  origin: string,
  id: string,
): Promise<{ acceptUrl: string; declineUrl: string }> {
  const [accept, decline] = await Promise.all(ANSWERS.map((a) => signLink(secret, 'assignment-answer', [id, a])));
  return { acceptUrl: origin + answerPath(id, 'accept', accept!), declineUrl: origin + answerPath(id, 'decline', decline!) };
}

export const isAnswerSignature = (secret: string, id: string, answer: Answer, signature: string) =>
  isLinkSignature(secret, 'assignment-answer', [id, answer], signature);
