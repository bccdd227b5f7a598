import { describe, expect, it } from 'vitest';
import { decodeCursor } from '../../src/live/cursor';
import { call, createGroup, json, userIn } from '../helpers/api';
import { closedAfterEach, SseClient } from '../helpers/live';

const open = closedAfterEach();

describe('live stream, end to end', () => {
  it('announces an event created through POST /api/events to its group only, then its deletion', async () => {
    const group = await createGroup();
    const other = await createGroup();
    const baker = await userIn(group.id);
    const colleague = await userIn(group.id);
    const stranger = await userIn(other.id);
    const [watching, outside] = await Promise.all([
      SseClient.open({ token: colleague.token }),
      SseClient.open({ token: stranger.token }),
    ]);
    open.push(watching, outside);

    const created = await json(
      call('POST', '/api/events', { token: baker.token, body: { date: '2031-03-14', groupId: group.id } }),
      201,
    );
    const got = await watching.message();
    expect(got!.data).toEqual({
      type: 'NEW_EVENT',
      groupId: group.id,
      eventId: created.id,
      bakerName: baker.name,
      date: '2031-03-14',
    });
    expect(decodeCursor(got!.id)).toEqual({ [group.id]: 1 });

    await json(call('DELETE', `/api/events/${created.id}`, { token: baker.token }), 200);
    expect((await watching.message())!.data).toEqual({ type: 'EVENT_DELETED', groupId: group.id, eventId: created.id });
    await outside.expectSilence();
  });

  it('sends a ping comment within 25 s on a quiet stream (the API promises one at least every 25 s)', async () => {
    const group = await createGroup();
    const client = await SseClient.open({ token: (await userIn(group.id)).token });
    open.push(client);
    const opened = Date.now();
    // Nothing is published: the first block after the stream's start can only be the ping.
    expect(await client.block(25_000)).toBe(': ping');
    expect(Date.now() - opened).toBeLessThanOrEqual(25_000);
  }, 35_000);
});
