import type { Caller } from '../../auth/caller';
import { answeringConstraints } from '../../db/errors';
import { ApiError, invalidField } from '../../errors';
import { announceOffer, announceTake } from '../../events/handover-notices';
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
import { announceSwapAnswer, announceSwapRequest } from '../../events/swap-notices';
import {
  cancelStatement,
  recordSwapAcceptance,
  recordSwapDecline,
  recordSwapRequest,
  type SwapRow,
  swapQuery,
  toSwapRequest,
} from '../../events/swaps';
import { toCakeEvent, toCakeEvents } from '../../events/view';
import { afterResponse } from '../../lib/after-response';
import type { AppRouteHandler } from '../../lib/create-router';
import { publicUrl } from '../../lib/public-url';
import { isUpcoming } from '../../lib/time';
import { canSeeGroupHandovers, canTakeHandover, canWithdrawHandover, isBakerOf } from '../../policy';
import type * as routes from './handovers.routes';

const eventNotFound = () => new ApiError('not_found', 'No such event.');
const handoverNotFound = () => new ApiError('not_found', 'No such hand-over.');
const groupNotFound = () => new ApiError('not_found', 'No such group.');

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
  afterResponse(c, announceOffer(c.env, publicUrl(c), row, caller.name, recipients));
  const handover = toHandover(row);
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
  afterResponse(c, announceTake(c.env, db, publicUrl(c), { offer, takerName: caller.name, offerer: taken.offerer }));
  const event = await toCakeEvent(taken.event, { env: c.env, caller, origin: publicUrl(c) });
  const handover = toHandover(taken.handover);
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

const swapNotFound = () => new ApiError('not_found', 'No such swap request.');

/** Who answers a swap: the baker the other cake has now. */
function answerable(caller: Caller, swap: SwapRow | undefined): SwapRow {
  if (!swap) throw swapNotFound();
  if (!isBakerOf(caller, { bakerId: swap.currentWithBakerId })) {
    throw new ApiError('forbidden', 'Only the baker of the other cake answers a swap request.');
  }
  if (swap.status !== 'pending') throw new ApiError('conflict', `This swap request has ended (${swap.status}).`);
  return swap;
}

export const requestSwap: AppRouteHandler<typeof routes.requestSwap> = async (c) => {
  const { id } = c.req.valid('param');
  const { withEventId } = c.req.valid('json');
  if (withEventId === id) throw invalidField('withEventId', 'Must be another cake than the one to swap');
  const db = c.var.db;
  const [caller, [event], [other]] = await c.var.auth.check((me) => [
    eventAccessQuery(db, me, id),
    eventAccessQuery(db, me, withEventId),
  ]);
  if (!event) throw eventNotFound();
  if (!isBakerOf(caller, event)) throw new ApiError('forbidden', 'Only the baker asks to swap a cake.');
  if (!other || other.groupId !== event.groupId) throw new ApiError('not_found', 'No such event in this group.');
  if (!isUpcoming(event.date, event.timeZone) || !isUpcoming(other.date, other.timeZone)) {
    throw new ApiError('conflict', 'Only cakes whose date has not come are swapped.');
  }
  if (!other.bakerId || other.bakerId === caller.id)
    throw new ApiError('conflict', 'Both cakes are yours: change the date instead.');
  if (other.date === event.date) throw new ApiError('conflict', 'Both cakes are on the same day: a swap changes nothing.');
  const { row, recipient } = await answeringConstraints(
    recordSwapRequest(db, {
      groupId: event.groupId,
      eventId: id,
      withEventId,
      requesterId: caller.id,
      eventDate: event.date,
      withEventDate: other.date,
      withBakerId: other.bakerId,
    }),
    { unique: () => new ApiError('conflict', 'You already asked to swap these two cakes.') },
  );
  if (!row) throw new ApiError('conflict', 'One of the cakes changed meanwhile; load them again.');
  if (recipient) {
    const request = { id: row.id, groupName: row.groupName, date: event.date, withDate: other.date, requesterName: caller.name };
    afterResponse(c, announceSwapRequest(c.env, publicUrl(c), request, { ...recipient, id: other.bakerId }));
  }
  return c.json(toSwapRequest(row), 201);
};

export const acceptSwap: AppRouteHandler<typeof routes.acceptSwap> = async (c) => {
  const { id } = c.req.valid('param');
  const db = c.var.db;
  const [caller, [found]] = await c.var.auth.check((me) => [swapQuery(db, me, id)]);
  const swap = answerable(caller, found);
  if (!isUpcoming(swap.eventDate, swap.timeZone) || !isUpcoming(swap.withEventDate, swap.timeZone)) {
    await cancelStatement(db, id);
    throw new ApiError('conflict', 'The date of one of the cakes has come: the swap request is cancelled.');
  }
  const done = await recordSwapAcceptance(db, caller.id, swap);
  if (!done.accepted) {
    if (done.cancelled) throw new ApiError('conflict', 'One of the cakes changed since the request: it is cancelled.');
    throw new ApiError('conflict', 'This swap request has ended.');
  }
  const ctx = { env: c.env, caller, origin: publicUrl(c) };
  const swapped = await toCakeEvents(done.events, ctx);
  const answer = { swap, answererName: caller.name, swapped, requester: done.requester };
  afterResponse(c, announceSwapAnswer(c.env, publicUrl(c), answer));
  return c.json({ events: swapped }, 200);
};

export const declineSwap: AppRouteHandler<typeof routes.declineSwap> = async (c) => {
  const { id } = c.req.valid('param');
  const db = c.var.db;
  const [caller, [found]] = await c.var.auth.check((me) => [swapQuery(db, me, id)]);
  const swap = answerable(caller, found);
  const done = await recordSwapDecline(db, caller.id, swap);
  if (!done.row) throw swapNotFound();
  if (!done.declined) throw new ApiError('conflict', 'This swap request has ended.');
  afterResponse(
    c,
    announceSwapAnswer(c.env, publicUrl(c), { swap, answererName: caller.name, swapped: [], requester: done.requester }),
  );
  return c.json(toSwapRequest(done.row), 200);
};
