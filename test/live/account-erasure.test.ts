import { afterEach, describe, expect, it } from 'vitest';
import { call, json, type TestUser } from '../helpers/api';
import { dayIn } from '../helpers/events';
import { liveAdmin, liveGroup, liveUser, SseClient } from '../helpers/live';

const open: SseClient[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

const createEvent = async (baker: TestUser, groupId: string, date: string): Promise<string> =>
  (await json(call('POST', '/api/events', { token: baker.token, body: { groupId, date } }), 201)).event.id;

/**
 * A baker in two groups with an upcoming event in each and a past one, and a
 * member of both groups watching: what the watcher must hear when the baker's
 * account goes.
 */
async function bakerWithEvents() {
  const [g1, g2] = [await liveGroup(), await liveGroup()];
  const baker = await liveUser(g1.id, g2.id);
  const watcher = await SseClient.open({ token: (await liveUser(g1.id, g2.id)).token });
  open.push(watcher);
  const upcoming = [
    { type: 'EVENT_DELETED', groupId: g1.id, eventId: await createEvent(baker, g1.id, dayIn(10)) },
    { type: 'EVENT_DELETED', groupId: g2.id, eventId: await createEvent(baker, g2.id, dayIn(20)) },
  ];
  await createEvent(baker, g1.id, dayIn(-3));
  expect((await watcher.messages(3)).map((m) => m.data.type)).toEqual(['NEW_EVENT', 'NEW_EVENT', 'NEW_EVENT']);
  return { baker, watcher, upcoming };
}

async function expectDeletionsOf(watcher: SseClient, upcoming: object[]) {
  const got = (await watcher.messages(upcoming.length)).map((m) => m.data);
  expect(got).toEqual(expect.arrayContaining(upcoming));
  // The past event stays, and says nothing.
  await watcher.expectSilence();
}

describe('account erasure and live streams', () => {
  it('DELETE /api/user announces the deletion of its upcoming events to their groups', async () => {
    const { baker, watcher, upcoming } = await bakerWithEvents();
    await json(call('DELETE', '/api/user', { token: baker.token }), 200);
    await expectDeletionsOf(watcher, upcoming);
  });

  it('DELETE /api/admin/users/{id} announces the deletion of its upcoming events to their groups', async () => {
    const { baker, watcher, upcoming } = await bakerWithEvents();
    await json(call('DELETE', `/api/admin/users/${baker.id}`, { token: await liveAdmin() }), 200);
    await expectDeletionsOf(watcher, upcoming);
  });
});
