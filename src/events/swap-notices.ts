/**
 * What a swap request tells, after its write committed: the request's mail
 * to the other baker with their one-click accept and decline links, and an
 * answer's messages (both cakes' new dates to the group's stream and
 * channels, the requester's mail). Shared by the API and the one-click
 * pages, so an answer tells the same whichever way it came.
 */
import type { Language } from '../db/schema';
import type { Bindings } from '../env';
import { publish } from '../live/publish';
import { enqueueMail } from '../mail';
import { swapAnswerLinks } from './swap-links';
import type { SwapRow } from './swaps';

interface Baker {
  id: string;
  email: string;
  language: Language;
}

/** After a request committed: the other baker's mail with their links. Never fails (a refused enqueue is logged). */
export async function announceSwapRequest(
  env: Bindings,
  origin: string,
  request: { id: string; groupName: string; date: string; withDate: string; requesterName: string },
  recipient: Baker,
): Promise<void> {
  const links = await swapAnswerLinks(env.JWT_SECRET, origin, request.id, recipient.id);
  const { groupName, date, withDate, requesterName } = request;
  await enqueueMail(env, {
    to: recipient.email,
    template: 'swap_requested',
    language: recipient.language,
    data: { requesterName, groupName, date, withDate, ...links },
  });
}

export interface SwapAnswer {
  swap: Pick<SwapRow, 'groupName' | 'eventDate' | 'withEventDate'>;
  answererName: string;
  /** The two cakes as they are after an accepted swap (none for a decline). */
  swapped: readonly { id: string; groupId: string; date: string; bakerName: string; description: string }[];
  requester: { email: string; language: Language } | undefined;
}

/** After an answer committed. Never fails: each part logs its own failure. */
export async function announceSwapAnswer(env: Bindings, origin: string, answer: SwapAnswer): Promise<void> {
  const { swap, answererName, swapped, requester } = answer;
  const messages = (async () => {
    for (const e of swapped) {
      await publish(
        env,
        {
          type: 'EVENT_UPDATED',
          groupId: e.groupId,
          eventId: e.id,
          date: e.date,
          bakerName: e.bakerName,
          description: e.description,
        },
        { origin },
      );
    }
  })();
  await Promise.all([
    messages,
    requester
      ? enqueueMail(env, {
          to: requester.email,
          template: 'swap_answered',
          language: requester.language,
          data: {
            name: answererName,
            groupName: swap.groupName,
            date: swap.eventDate,
            withDate: swap.withEventDate,
            accepted: swapped.length > 0,
          },
        })
      : undefined,
  ]);
}
