import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import type { GroupHub } from '../../src/live/group-hub';
import { publish, type LiveMessage } from '../../src/live/publish';
import { call, json } from '../helpers/api';
import { liveAdmin, liveGroup, liveUser, SseClient } from '../helpers/live';

const open: SseClient[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

const deleted = (groupId: string): LiveMessage => ({ type: 'EVENT_DELETED', groupId, eventId: crypto.randomUUID() });

async function until(check: () => Promise<boolean>, timeoutMs = 3000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const deleteGroup = async (groupId: string) =>
  json(call('DELETE', `/api/admin/groups/${groupId}`, { token: await liveAdmin() }), 200);

describe('DELETE /api/admin/groups/{id} and live streams', () => {
  it("drops the group from its members' streams, which carry on with their other groups", async () => {
    const [gone, kept] = [await liveGroup(), await liveGroup()];
    const u = await liveUser(gone.id, kept.id);
    const client = await SseClient.open({ token: u.token });
    open.push(client);
    await publish(env, deleted(gone.id));
    expect(await client.message()).not.toBeNull();
    const hub = env.GROUP_HUB.getByName(gone.id);
    expect(await hub.subscribers()).toBe(1);

    await deleteGroup(gone.id);
    // Closed by the deletion itself, not by some later message of the group.
    await until(async () => (await hub.subscribers()) === 0);
    const next = deleted(kept.id);
    await publish(env, next);
    expect((await client.message())!.data).toEqual(next);
    expect(client.cursor()).toEqual({ [kept.id]: 1 });
  });

  it('ends the stream of a member whose only group was deleted', async () => {
    const group = await liveGroup();
    const client = await SseClient.open({ token: (await liveUser(group.id)).token });
    open.push(client);
    await deleteGroup(group.id);
    expect(await client.message()).toBeNull();
    expect(client.ended).toBe(true);
  });

  it("erases the deleted group's stored history", async () => {
    const group = await liveGroup();
    const hub = env.GROUP_HUB.getByName(group.id);
    for (let i = 0; i < 3; i++) await publish(env, deleted(group.id));
    expect((await hub.history(0)).head).toBe(3);

    await deleteGroup(group.id);
    const tables = () =>
      runInDurableObject(hub, (_: GroupHub, state) =>
        state.storage.sql.exec<{ name: string }>(`SELECT name FROM sqlite_master WHERE name = 'messages'`).toArray(),
      );
    await until(async () => (await tables()).length === 0);
    expect(await hub.history(0)).toEqual({ head: 0, frames: [] });
  });
});
