import type { Language } from '../../db/schema';
import type { AppContext } from '../../env';
import { announceTake } from '../../events/handover-notices';
import { groupOfHandover, handoverQuery, linkRecipientQuery, recordTake, statusOf } from '../../events/handovers';
import { isSwapAnswerSignature } from '../../events/swap-links';
import { announceSwapAnswer } from '../../events/swap-notices';
import { cancelStatement, groupOfSwap, recordSwapAcceptance, recordSwapDecline, swapQuery } from '../../events/swaps';
import { isTakeSignature } from '../../events/take-links';
import { afterResponse } from '../../lib/after-response';
import type { AppRouteHandler } from '../../lib/create-router';
import { publicUrl } from '../../lib/public-url';
import { addDays, isUpcoming, localDate } from '../../lib/time';
import { type Answer, isAnswerSignature } from '../../planning/answer-links';
import { answerPage, type PageState } from '../../planning/answer-page';
import { acceptAssignment, declineAssignment, declineQueries } from '../../planning/answers';
import { assignmentActionQuery } from '../../planning/assignments';
import { announceAcceptance, announceDecline } from '../../planning/notices';
import type * as routes from './answer.routes';

type Status = 200 | 403 | 404 | 409 | 410;

function page(c: AppContext, state: PageState, language: Language, status: Status) {
  return c.html(answerPage(state, language), status, { 'Cache-Control': 'no-store', 'X-Robots-Tag': 'noindex' });
}

/** Without an assignment to take it from: the browser's language, German or English. */
const browserLanguage = (c: AppContext): Language => (/^de\b/i.test(c.req.header('Accept-Language') ?? '') ? 'de' : 'en');

/** The earliest "today" anywhere: the candidates' reads are made before the group's zone is known. */
const earliestToday = () => addDays(new Date().toISOString().slice(0, 10), -1);

/**
 * Checks the link and reads the assignment (with the candidates to pass it
 * on to, for a decline): the page to answer with when the link cannot be
 * used, else what answering needs.
 */
async function open(c: AppContext, id: string, answer: Answer, signature: string) {
  if (!(await isAnswerSignature(c.env.JWT_SECRET, id, answer, signature))) {
    return { refusal: page(c, { kind: 'invalid' }, browserLanguage(c), 403) };
  }
  const db = c.var.db;
  const [[a], members] = await db.batch(
    answer === 'decline' ? declineQueries(db, id, earliestToday()) : ([assignmentActionQuery(db, id)] as const),
  );
  if (!a) return { refusal: page(c, { kind: 'invalid' }, browserLanguage(c), 404) };
  const language = a.emailLanguage;
  if (a.status !== 'pending') return { refusal: page(c, { kind: 'answered', status: a.status, date: a.date }, language, 409) };
  if (a.date < localDate(a.timeZone)) return { refusal: page(c, { kind: 'expired', date: a.date }, language, 410) };
  return { a, members: members ?? [], language };
}

export const showAnswerPage: AppRouteHandler<typeof routes.showAnswerPage> = async (c) => {
  const { id, answer, signature } = c.req.valid('param');
  const opened = await open(c, id, answer, signature);
  if ('refusal' in opened) return opened.refusal as never;
  const { a, language } = opened;
  return page(c, { kind: 'question', answer, groupName: a.groupName, date: a.date }, language, 200) as never;
};

export const submitAnswerPage: AppRouteHandler<typeof routes.submitAnswerPage> = async (c) => {
  const { id, answer, signature } = c.req.valid('param');
  const opened = await open(c, id, answer, signature);
  if ('refusal' in opened) return opened.refusal as never;
  const { a, members, language } = opened;
  const db = c.var.db;
  const origin = publicUrl(c);
  if (answer === 'accept') {
    const outcome = await acceptAssignment(db, a, { description: '', allergens: null, suitableFor: 0 });
    // Lost to another answer, or the assignee is no member any more (the rule of POST /api/events).
    if (!outcome) return page(c, { kind: 'answered', date: a.date }, language, 409) as never;
    afterResponse(c, announceAcceptance(c.env, db, origin, outcome));
    return page(c, { kind: 'accepted', groupName: a.groupName, date: a.date }, language, 200) as never;
  }
  const outcome = await declineAssignment(db, a, members, null);
  if (!outcome) return page(c, { kind: 'answered', date: a.date }, language, 409) as never;
  afterResponse(c, announceDecline(c.env, origin, outcome));
  return page(c, { kind: 'declined', groupName: a.groupName, date: a.date }, language, 200) as never;
};

/**
 * Checks a "take it" link and reads the offer as its member sees it and the
 * member (no row when inactive or no longer in the group): the page
 * to answer with when it cannot be used, else what taking needs.
 */
async function openTake(c: AppContext, id: string, userId: string, signature: string) {
  if (!(await isTakeSignature(c.env.JWT_SECRET, id, userId, signature))) {
    return { refusal: page(c, { kind: 'invalid' }, browserLanguage(c), 403) };
  }
  const db = c.var.db;
  const [[offer], [taker]] = await db.batch([handoverQuery(db, userId, id), linkRecipientQuery(db, userId, groupOfHandover(id))]);
  if (!offer || !taker || offer.offeredById === userId) {
    return { refusal: page(c, { kind: 'invalid' }, browserLanguage(c), 404) };
  }
  const { language } = taker;
  const status = statusOf(offer);
  if (status === 'expired') return { refusal: page(c, { kind: 'expired', date: offer.date }, language, 410) };
  if (status !== 'open') return { refusal: page(c, { kind: 'answered', status, date: offer.date }, language, 409) };
  if (offer.viewerAway) return { refusal: page(c, { kind: 'away', date: offer.date }, language, 409) };
  return { offer, taker, language };
}

export const showTakePage: AppRouteHandler<typeof routes.showTakePage> = async (c) => {
  const { id, userId, signature } = c.req.valid('param');
  const opened = await openTake(c, id, userId, signature);
  if ('refusal' in opened) return opened.refusal as never;
  const { offer, language } = opened;
  const question: PageState = {
    kind: 'question',
    answer: 'take',
    groupName: offer.groupName,
    date: offer.date,
    other: offer.offeredByName,
  };
  return page(c, question, language, 200) as never;
};

export const submitTakePage: AppRouteHandler<typeof routes.submitTakePage> = async (c) => {
  const { id, userId, signature } = c.req.valid('param');
  const opened = await openTake(c, id, userId, signature);
  if ('refusal' in opened) return opened.refusal as never;
  const { offer, taker, language } = opened;
  const db = c.var.db;
  const taken = await recordTake(db, { handoverId: id, eventId: offer.eventId, judgedDate: offer.date, takerId: userId });
  if (!taken.won) {
    const status = taken.handover?.status === 'taken' ? 'taken' : undefined;
    return page(c, { kind: 'answered', status, date: offer.date }, language, 409) as never;
  }
  afterResponse(c, announceTake(c.env, db, publicUrl(c), { offer, takerName: taker.name, offerer: taken.offerer }));
  return page(c, { kind: 'accepted', groupName: offer.groupName, date: offer.date }, language, 200) as never;
};

/**
 * Checks a swap request's link and reads the request as its other baker sees
 * it and the baker (no row when inactive or no longer in the group): the page to answer with when it
 * cannot be used, else what answering needs.
 */
async function openSwap(c: AppContext, id: string, userId: string, answer: Answer, signature: string) {
  if (!(await isSwapAnswerSignature(c.env.JWT_SECRET, id, userId, answer, signature))) {
    return { refusal: page(c, { kind: 'invalid' }, browserLanguage(c), 403) };
  }
  const db = c.var.db;
  const [[swap], [baker]] = await db.batch([swapQuery(db, userId, id), linkRecipientQuery(db, userId, groupOfSwap(id))]);
  if (!swap || !baker || swap.withBakerId !== userId) {
    return { refusal: page(c, { kind: 'invalid' }, browserLanguage(c), 404) };
  }
  const { language } = baker;
  const date = swap.eventDate;
  if (swap.status !== 'pending') return { refusal: page(c, { kind: 'answered', status: swap.status, date }, language, 409) };
  if (swap.currentWithBakerId !== userId) {
    return { refusal: page(c, { kind: 'answered', status: 'cancelled', date }, language, 409) };
  }
  if (!isUpcoming(swap.eventDate, swap.timeZone) || !isUpcoming(swap.withEventDate, swap.timeZone)) {
    return { refusal: page(c, { kind: 'expired', date }, language, 410), ended: true };
  }
  return { swap, baker, language };
}

export const showSwapPage: AppRouteHandler<typeof routes.showSwapPage> = async (c) => {
  const { id, userId, answer, signature } = c.req.valid('param');
  const opened = await openSwap(c, id, userId, answer, signature);
  if ('refusal' in opened) return opened.refusal as never;
  const { swap, language } = opened;
  const question: PageState = {
    kind: 'question',
    answer: answer === 'accept' ? 'swap' : 'keep',
    groupName: swap.groupName,
    date: swap.eventDate,
    withDate: swap.withEventDate,
    other: swap.requestedByName,
  };
  return page(c, question, language, 200) as never;
};

export const submitSwapPage: AppRouteHandler<typeof routes.submitSwapPage> = async (c) => {
  const { id, userId, answer, signature } = c.req.valid('param');
  const opened = await openSwap(c, id, userId, answer, signature);
  const db = c.var.db;
  if ('refusal' in opened) {
    // As the API does: a request whose date has come is cancelled when answered.
    if (opened.ended) await cancelStatement(db, id);
    return opened.refusal as never;
  }
  const { swap, baker, language } = opened;
  const origin = publicUrl(c);
  const where = { groupName: swap.groupName };
  if (answer === 'accept') {
    const done = await recordSwapAcceptance(db, userId, swap);
    if (!done.accepted) {
      const status = done.cancelled ? 'cancelled' : undefined;
      return page(c, { kind: 'answered', status, date: swap.eventDate }, language, 409) as never;
    }
    const answered = { swap, answererName: baker.name, swapped: done.events, requester: done.requester };
    afterResponse(c, announceSwapAnswer(c.env, origin, answered));
    return page(c, { kind: 'swapped', ...where, date: swap.eventDate }, language, 200) as never;
  }
  const done = await recordSwapDecline(db, userId, swap);
  if (!done.declined) return page(c, { kind: 'answered', date: swap.eventDate }, language, 409) as never;
  afterResponse(c, announceSwapAnswer(c.env, origin, { swap, answererName: baker.name, swapped: [], requester: done.requester }));
  return page(c, { kind: 'kept', ...where, date: swap.withEventDate }, language, 200) as never;
};
