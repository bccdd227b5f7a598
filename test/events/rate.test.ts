/** POST /api/events/{id}/rate: members other than the baker, on or after the day, in the group's time zone. */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { localDate } from '../../src/lib/time';
import { adminToken, call, expectProblem, groupWith, json, type TestUser } from '../helpers/api';
import { createEvent, dayIn, neighboursOfBlock } from '../helpers/events';

// Kiritimati (UTC+14) is always a calendar day ahead of Pago Pago (UTC-11).
const AHEAD = 'Pacific/Kiritimati';
const BEHIND = 'Pacific/Pago_Pago';

const rate = (user: TestUser, eventId: string, body: unknown) =>
  call('POST', `/api/events/${eventId}/rate`, { token: user.token, body });

/** A group of three: ben bakes, anna and cara rate. */
let anna: TestUser;
let ben: TestUser;
let cara: TestUser;
beforeAll(async () => {
  [anna, ben, cara] = (await groupWith(3)).users as [TestUser, TestUser, TestUser];
});
/** An event on today's date in Kiritimati, in a group of this time zone; and a member who would rate it, with how they see it. */
async function onKiritimatiToday(timeZone: string) {
  const { users } = await groupWith(2, { timeZone });
  const event = await createEvent(users[0]!, { date: localDate(AHEAD) });
  const rater = users[1]!;
  const seen = await json(call('GET', `/api/events/${event.id}`, { token: rater.token }), 200);
  return { event, rater, seen };
}

/** A cake ben baked yesterday, not yet rated. */
const yesterdaysCake = async () => (await createEvent(ben, { date: dayIn(-1) })).id;

describe('happy', () => {
  it('answers the event’s rating after the vote', async () => {
    const past = await yesterdaysCake();
    expect(await json(rate(anna, past, { stars: 3 }), 200)).toEqual({ rating: { average: 3, count: 1, myRating: 3 } });
  });

  it('replaces the voter’s earlier vote when they rate again', async () => {
    const past = await yesterdaysCake();
    await json(rate(anna, past, { stars: 3 }), 200);
    expect(await json(rate(anna, past, { stars: 4, comment: 'Lecker' }), 200)).toEqual({
      rating: { average: 4, count: 1, myRating: 4 },
    });
  });

  it('averages the votes of all voters', async () => {
    const past = await yesterdaysCake();
    await json(rate(anna, past, { stars: 4 }), 200);
    expect(await json(rate(cara, past, { stars: 5 }), 200)).toEqual({ rating: { average: 4.5, count: 2, myRating: 5 } });
  });

  it('keeps the event’s aggregates (rating_count, rating_sum) equal to its ratings', async () => {
    const past = await yesterdaysCake();
    await json(rate(anna, past, { stars: 3 }), 200);
    await json(rate(anna, past, { stars: 4 }), 200);
    await json(rate(cara, past, { stars: 5 }), 200);
    const row = await env.DB.prepare('select rating_count, rating_sum from events where id = ?').bind(past).first();
    expect(row).toEqual({ rating_count: 2, rating_sum: 9 });
  });

  it('opens on the event date in the group’s own time zone (UTC+14: already today there)', async () => {
    const { event, rater, seen } = await onKiritimatiToday(AHEAD);
    expect(event).toMatchObject({ isFuture: false, canDelete: false });
    expect(seen.canRate).toBe(true);
    await json(rate(rater, event.id, { stars: 5 }), 200);
  });
});

describe('bad input', () => {
  it('refuses stars that are not a whole number from 1 to 5', async () => {
    const past = await yesterdaysCake();
    for (const stars of [0, 6, 2.5, '4']) {
      await expectProblem(rate(anna, past, { stars }), 400, 'validation_failed');
    }
  });

  it('refuses a comment over 500 characters', async () => {
    const past = await yesterdaysCake();
    await expectProblem(rate(anna, past, { stars: 4, comment: 'x'.repeat(501) }), 400);
  });

  it('answers 409 not_yet before the day of the event', async () => {
    const upcoming = await createEvent(anna, { date: dayIn(7) });
    await expectProblem(rate(ben, upcoming.id, { stars: 5 }), 409, 'not_yet');
  });

  it('judges "before the day" in the group’s own time zone (UTC-11: still the day before there)', async () => {
    const { event, rater, seen } = await onKiritimatiToday(BEHIND);
    expect(event).toMatchObject({ isFuture: true, canDelete: true });
    expect(seen.canRate).toBe(false);
    await expectProblem(rate(rater, event.id, { stars: 5 }), 409, 'not_yet');
  });
});

describe('security', () => {
  it('refuses the baker (403)', async () => {
    const past = await yesterdaysCake();
    await expectProblem(rate(ben, past, { stars: 5 }), 403, 'forbidden');
  });

  it('refuses a global admin outside the group: seeing is not belonging (403)', async () => {
    const past = await yesterdaysCake();
    await expectProblem(
      call('POST', `/api/events/${past}/rate`, { token: await adminToken(), body: { stars: 5 } }),
      403,
      'forbidden',
    );
  });

  describe('another group', () => {
    const n = neighboursOfBlock();

    it('gets 404 for an event, past or upcoming, and its vote counts nowhere', async () => {
      for (const e of [n.past, n.upcoming]) {
        await expectProblem(rate(n.olga, e.id, { stars: 1 }), 404, 'not_found');
      }
      const detail = await json(call('GET', `/api/events/${n.past.id}`, { token: n.anna.token }), 200);
      expect(detail.rating.count).toBe(1);
    });
  });
});
