/**
 * What a hand-over tells, after its write committed: an offer's message (the
 * group's stream and channels) and its mail to the group's other active
 * members, each with their own "take it" link; and a take's messages, the
 * offerer's mail and the former baker's cover photo's deletion. A take is
 * shared by the API and the one-click page, so it tells the same whichever
 * way it came.
 */
import type { Database } from '../db/client';
import type { Language } from '../db/schema';
import type { Bindings } from '../env';
import { publish } from '../live/publish';
import { enqueueMail } from '../mail';
import { deleteObjects } from '../photos/deletion';
import type { HandoverRow } from './handovers';
import { takeLink } from './take-links';

/** After an offer committed. Never fails: each part logs its own failure. */
export async function announceOffer(
  env: Bindings,
  origin: string,
  offer: Pick<HandoverRow, 'id' | 'eventId' | 'groupId' | 'groupName' | 'date' | 'message'>,
  offererName: string,
  recipients: readonly { id: string; email: string; language: Language }[],
): Promise<void> {
  const { id, eventId, groupId, groupName, date, message } = offer;
  const data = { offererName, groupName, date, message };
  const mails = await Promise.all(
    recipients.map(async (r) => ({
      to: r.email,
      template: 'handover_offered' as const,
      language: r.language,
      data: { ...data, takeUrl: await takeLink(env.JWT_SECRET, origin, id, r.id) },
    })),
  );
  await Promise.all([
    publish(env, { type: 'HANDOVER_OFFERED', groupId, eventId, handoverId: id, date, offeredBy: offererName }, { origin }),
    enqueueMail(env, ...mails),
  ]);
}

export interface Take {
  offer: Pick<HandoverRow, 'id' | 'eventId' | 'groupId' | 'groupName' | 'date' | 'offeredByName' | 'coverPhotoKey'>;
  takerName: string;
  /** Absent when the offerer's account is gone. */
  offerer: { email: string; language: Language } | undefined;
}

/** After a take committed. Never fails: each part logs its own failure. */
export async function announceTake(env: Bindings, db: Database, origin: string, take: Take): Promise<void> {
  const { offer, takerName, offerer } = take;
  const { groupId, eventId, date } = offer;
  const messages = (async () => {
    await publish(
      env,
      {
        type: 'HANDOVER_TAKEN',
        groupId,
        eventId,
        handoverId: offer.id,
        date,
        takenBy: takerName,
        offeredBy: offer.offeredByName,
      },
      { origin },
    );
    // The changed cake follows on the stream; channels heard it as the take.
    await publish(env, { type: 'EVENT_UPDATED', groupId, eventId, date, bakerName: takerName, description: '' });
  })();
  await Promise.all([
    messages,
    // The cover photo was the former baker's: it goes with what they had said about the cake.
    deleteObjects(db, env.PHOTOS, [offer.coverPhotoKey]),
    offerer
      ? enqueueMail(env, {
          to: offerer.email,
          template: 'handover_taken',
          language: offerer.language,
          data: { takerName, groupName: offer.groupName, date },
        })
      : undefined,
  ]);
}
