import { describe, expect, it } from 'vitest';
import { call, expectProblem, groupWith, json } from '../helpers/api';
import { createEvent } from '../helpers/events';
import { localDate } from '../../src/lib/time';

// Kiritimati (UTC+14) is always a calendar day ahead of Pago Pago (UTC-11).
const AHEAD = 'Pacific/Kiritimati';
const BEHIND = 'Pacific/Pago_Pago';

describe("'today' is the group's today", () => {
  it('opens rating on the event date in the group’s own time zone', async () => {
    const date = localDate(AHEAD);
    const ahead = await groupWith(2, { timeZone: AHEAD });
    const behind = await groupWith(2, { timeZone: BEHIND });

    const there = await createEvent(ahead.users[0]!, { date });
    expect(there).toMatchObject({ isFuture: false, canDelete: false });
    const detail = await json(call('GET', `/api/events/${there.id}`, { token: ahead.users[1]!.token }), 200);
    expect(detail.canRate).toBe(true);
    await json(call('POST', `/api/events/${there.id}/rate`, { token: ahead.users[1]!.token, body: { stars: 5 } }), 200);

    const here = await createEvent(behind.users[0]!, { date });
    expect(here).toMatchObject({ isFuture: true, canDelete: true });
    const early = await json(call('GET', `/api/events/${here.id}`, { token: behind.users[1]!.token }), 200);
    expect(early.canRate).toBe(false);
    await expectProblem(call('POST', `/api/events/${here.id}/rate`, { token: behind.users[1]!.token, body: { stars: 5 } }), 409, 'not_yet');
  });

  it('lets the baker delete only while the event is upcoming in the group’s time zone', async () => {
    const date = localDate(AHEAD);
    const ahead = await groupWith(1, { timeZone: AHEAD });
    const behind = await groupWith(1, { timeZone: BEHIND });
    // The event's own day is no longer upcoming: the baker may not delete it.
    const onTheDay = await createEvent(ahead.users[0]!, { date });
    await expectProblem(call('DELETE', `/api/events/${onTheDay.id}`, { token: ahead.users[0]!.token }), 403, 'forbidden');
    await json(call('GET', `/api/events/${onTheDay.id}`, { token: ahead.users[0]!.token }), 200);
    // The same date is still tomorrow in the group behind.
    const dayBefore = await createEvent(behind.users[0]!, { date });
    await json(call('DELETE', `/api/events/${dayBefore.id}`, { token: behind.users[0]!.token }), 200);
  });
});
