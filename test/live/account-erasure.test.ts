import { describe, expect, it } from 'vitest';
import { adminToken, call, createGroup, json, userIn } from '../helpers/api';
import { createEvent, dayIn } from '../helpers/events';
import { closedAfterEach, SseClient } from '../helpers/live';

const open = closedAfterEach();

/**
 * A baker in two groups with an upcoming event in each and a past one, and a
 * member of both groups watching: what the watcher must hear when the baker's
 * account goes.
 */
async function bakerWithEvents() {
  const [g1, g2] = [await createGroup(), await createGroup()];
  const baker = await userIn(g1.id, g2.id);
  const watcher = await SseClient.open({ token: (await userIn(g1.id, g2.id)).token });
  open.push(watcher);
  const upcoming = [
    { type: 'EVENT_DELETED', groupId: g1.id, eventId: (await createEvent(baker, { groupId: g1.id, date: dayIn(10) })).id },
    { type: 'EVENT_DELETED', groupId: g2.id, eventId: (await createEvent(baker, { groupId: g2.id, date: dayIn(20) })).id },
  ];
  await createEvent(baker, { groupId: g1.id, date: dayIn(-3) });
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
    await json(call('DELETE', `/api/admin/users/${baker.id}`, { token: await adminToken() }), 200);
    await expectDeletionsOf(watcher, upcoming);
  });
});
