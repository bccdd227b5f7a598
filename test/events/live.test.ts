import { describe, expect, it } from 'vitest';
import { adminToken, call, groupWith, json } from '../helpers/api';
import { createEvent, dayIn, uploadPhoto } from '../helpers/events';
import { SseClient } from '../helpers/live';

describe('live messages of event changes', () => {
  it('announces create, rate, photo and delete to the group, and nothing to others', async () => {
    const { group, users } = await groupWith(2);
    const [anna, ben] = users as [any, any];
    const outsider = (await groupWith(1)).users[0]!;
    const stream = await SseClient.open({ token: ben.token });
    const other = await SseClient.open({ token: outsider.token });

    const event = await createEvent(anna, { date: dayIn(-1) });
    await json(call('POST', `/api/events/${event.id}/rate`, { token: ben.token, body: { stars: 4 } }), 200);
    await json(uploadPhoto(ben, event.id), 201);
    await json(call('DELETE', `/api/events/${event.id}`, { token: await adminToken() }), 200);

    const messages = (await stream.messages(4)).map((m) => m.data);
    const base = { groupId: group.id, eventId: event.id };
    expect(messages).toEqual(
      [
        { type: 'NEW_EVENT', ...base, bakerName: anna.name, date: dayIn(-1) },
        { type: 'EVENT_RATED', ...base, average: 4, count: 1 },
        { type: 'PHOTO_ADDED', ...base, userName: ben.name },
        { type: 'EVENT_DELETED', ...base },
      ].map((m) => expect.objectContaining(m)),
    );
    await other.expectSilence();
    await Promise.all([stream.close(), other.close()]);
  });

  it('announces a change of an event as EVENT_UPDATED with its new date', async () => {
    const { group, users } = await groupWith(2);
    const [anna, ben] = users as [any, any];
    const event = await createEvent(anna, { date: dayIn(3), description: 'Zupfkuchen' });
    const stream = await SseClient.open({ token: ben.token });
    await json(call('PATCH', `/api/events/${event.id}`, { token: anna.token, body: { date: dayIn(4) } }), 200);
    const [message] = (await stream.messages(1)).map((m) => m.data);
    expect(message).toEqual({
      type: 'EVENT_UPDATED',
      groupId: group.id,
      eventId: event.id,
      date: dayIn(4),
      bakerName: anna.name,
      description: 'Zupfkuchen',
    });
    await stream.close();
  });
});

describe('live messages of hand-overs and swaps', () => {
  it('announces an offer, and a take as HANDOVER_TAKEN then EVENT_UPDATED with the new baker', async () => {
    const { group, users } = await groupWith(3);
    const [anna, ben, carl] = users as [any, any, any];
    const event = await createEvent(anna, { date: dayIn(3), description: 'Linzer Torte' });
    const stream = await SseClient.open({ token: carl.token });
    const handover = await json(call('POST', `/api/events/${event.id}/handover`, { token: anna.token }), 201);
    await json(call('POST', `/api/handovers/${handover.id}/take`, { token: ben.token }), 200);
    const base = { groupId: group.id, eventId: event.id, date: dayIn(3) };
    expect((await stream.messages(3)).map((m) => m.data)).toEqual([
      { type: 'HANDOVER_OFFERED', ...base, handoverId: handover.id, offeredBy: anna.name },
      { type: 'HANDOVER_TAKEN', ...base, handoverId: handover.id, takenBy: ben.name, offeredBy: anna.name },
      { type: 'EVENT_UPDATED', ...base, bakerName: ben.name, description: '' },
    ]);
    await stream.close();
  });

  it('announces an accepted swap as EVENT_UPDATED for each cake, with its new date', async () => {
    const { group, users } = await groupWith(3);
    const [anna, ben, carl] = users as [any, any, any];
    const a = await createEvent(anna, { date: dayIn(3) });
    const b = await createEvent(ben, { date: dayIn(5) });
    const stream = await SseClient.open({ token: carl.token });
    const swap = await json(call('POST', `/api/events/${a.id}/swap`, { token: anna.token, body: { withEventId: b.id } }), 201);
    await json(call('POST', `/api/swaps/${swap.id}/accept`, { token: ben.token }), 200);
    expect((await stream.messages(2)).map((m) => m.data)).toEqual([
      { type: 'EVENT_UPDATED', groupId: group.id, eventId: a.id, date: dayIn(5), bakerName: anna.name, description: '' },
      { type: 'EVENT_UPDATED', groupId: group.id, eventId: b.id, date: dayIn(3), bakerName: ben.name, description: '' },
    ]);
    await stream.close();
  });
});
