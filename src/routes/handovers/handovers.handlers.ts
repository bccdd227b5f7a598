import { answeringConstraints } from '../../db/errors';
import type { AppContext } from '../../env';
import { ApiError } from '../../errors';
import {
  handoverQuery,
  openHandoversQuery,
  openOnly,
  recordOffer,
  recordTake,
  recordWithdrawal,
  statusOf,
  toHandover,
} from '../../events/handovers';
import { eventAccessQuery } from '../../events/queries';
import { toCakeEvent } from '../../events/view';
import { afterResponse } from '../../lib/after-response';
import type { AppRouteHandler } from '../../lib/create-router';
import { publicUrl } from '../../lib/public-url';
import { isUpcoming } from '../../lib/time';
import { type LiveMessage, publish } from '../../live/publish';
import { enqueueMail } from '../../mail';
import { deleteObjects } from '../../photos/deletion';
import { canSeeGroupHandovers, canTakeHandover, canWithdrawHandover, isBakerOf } from '../../policy';
import type * as routes from './handovers.routes';

const eventNotFound = () => new ApiError('not_found', 'No such event.');
const handoverNotFound = () => new ApiError('not_found', 'No such hand-over.');
const groupNotFound = () => new ApiError('not_found', 'No such group.');

const announce = (c: AppContext, message: LiveMessage) => afterResponse(c, publish(c.env, message));

/** Why an offer that is not open cannot be acted on (409). */
function ended(status: ReturnType<typeof statusOf>): ApiError {
  if (status === 'taken') return new ApiError('already_taken', 'Someone has already taken this cake over.');
  if (status === 'expired') return new ApiError('conflict', 'The date of this cake has come: the offer has ended.');
  return new ApiError('conflict', 'This offer was withdrawn.');
}

export const offerHandover: AppRouteHandler<typeof routes.offerHandover> = async (c) => {
  const { id } = c.req.valid('param');
  const { message } = c.req.valid('json') ?? {};
  const db = c.var.db;
  const [caller, [event]] = await c.var.auth.check((me) => [eventAccessQuery(db, me, id)]);
  if (!event) throw eventNotFound();
  if (!isBakerOf(caller, event)) throw new ApiError('forbidden', 'Only the baker offers a cake to the group.');
  if (!isUpcoming(event.date, event.timeZone)) throw new ApiError('conflict', 'The date of this cake has come.');
  const { row, recipients } = await answeringConstraints(
    recordOffer(db, {
      eventId: id,
      groupId: event.groupId,
      judgedDate: event.date,
      offererId: caller.id,
      message: message ?? '',
    }),
    { unique: () => new ApiError('conflict', 'This cake is already offered.') },
  );
  if (!row) throw new ApiError('conflict', 'The event changed meanwhile; load it again.');
  const handover = toHandover(row);
  announce(c, {
    type: 'HANDOVER_OFFERED',
    groupId: handover.groupId,
    eventId: id,
    handoverId: handover.id,
    date: handover.date,
    offeredBy: caller.name,
  });
  const data = { offererName: caller.name, groupName: row.groupName, date: row.date, message: row.message };
  afterResponse(
    c,
    enqueueMail(
      c.env,
      ...recipients.map((r) => ({ to: r.email, template: 'handover_offered' as const, language: r.language, data })),
    ),
  );
  return c.json(handover, 201);
};

export const listHandovers: AppRouteHandler<typeof routes.listHandovers> = async (c) => {
  const { id } = c.req.valid('param');
  const [caller, rows] = await c.var.auth.check((me) => [openHandoversQuery(c.var.db, me, id)]);
  if (!canSeeGroupHandovers(caller, id)) throw groupNotFound();
  return c.json(openOnly(rows), 200);
};

export const takeHandover: AppRouteHandler<typeof routes.takeHandover> = async (c) => {
  const { id } = c.req.valid('param');
  const db = c.var.db;
  const [caller, [offer]] = await c.var.auth.check((me) => [handoverQuery(db, me, id)]);
  if (!offer) throw handoverNotFound();
  if (!canTakeHandover(caller, offer)) throw new ApiError('forbidden', 'Only members of the group take a cake over.');
  if (offer.offeredById === caller.id) throw new ApiError('conflict', 'This is your own offer; withdraw it instead.');
  const status = statusOf(offer);
  if (status !== 'open') throw ended(status);
  if (offer.viewerAway) throw new ApiError('conflict', `You are away on ${offer.date} (an absence of yours covers that day).`);

  const taken = await recordTake(db, { handoverId: id, eventId: offer.eventId, judgedDate: offer.date, takerId: caller.id });
  if (!taken.won) {
    if (taken.handover?.status === 'taken') throw ended('taken');
    throw new ApiError('conflict', 'The offer or its event changed meanwhile; load it again.');
  }
  if (!taken.event || !taken.handover) throw handoverNotFound();
  // The cover photo was the former baker's: it goes with what they had said about the cake.
  afterResponse(c, deleteObjects(db, c.env.PHOTOS, [offer.coverPhotoKey]));
  const event = await toCakeEvent(taken.event, { env: c.env, caller, origin: publicUrl(c) });
  const handover = toHandover(taken.handover);
  const { groupId, date } = event;
  announce(c, { type: 'HANDOVER_TAKEN', groupId, eventId: event.id, handoverId: id, date, takenBy: caller.name });
  announce(c, { type: 'EVENT_UPDATED', groupId, eventId: event.id, date, bakerName: event.bakerName, description: '' });
  if (taken.offerer) {
    const { email, language } = taken.offerer;
    afterResponse(
      c,
      enqueueMail(c.env, {
        to: email,
        template: 'handover_taken',
        language,
        data: { takerName: caller.name, groupName: event.groupName, date },
      }),
    );
  }
  return c.json({ event, handover }, 200);
};

export const withdrawHandover: AppRouteHandler<typeof routes.withdrawHandover> = async (c) => {
  const { id } = c.req.valid('param');
  const db = c.var.db;
  const [caller, [offer]] = await c.var.auth.check((me) => [handoverQuery(db, me, id)]);
  if (!offer) throw handoverNotFound();
  if (!canWithdrawHandover(caller, offer)) {
    throw new ApiError('forbidden', 'Only the offerer, an admin of the group or an admin withdraws an offer.');
  }
  const status = statusOf(offer);
  if (status !== 'open') throw ended(status);
  const { withdrawn, row } = await recordWithdrawal(db, caller.id, id);
  if (!row) throw handoverNotFound();
  if (!withdrawn) throw ended(statusOf(row));
  return c.json(toHandover(row), 200);
};
