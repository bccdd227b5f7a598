import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { GroupHub } from '../../src/live/group-hub';
import { type LiveMessage, publish } from '../../src/live/publish';
import { adminToken, call, createGroup, json, userIn } from '../helpers/api';
import { closedAfterEach, hubSubscribers, SseClient, until } from '../helpers/live';

const open = closedAfterEach();

const deleted = (groupId: string): LiveMessage => ({ type: 'EVENT_DELETED', groupId, eventId: crypto.randomUUID() });

const deleteGroup = async (groupId: string) =>
  json(call('DELETE', `/api/admin/groups/${groupId}`, { token: await adminToken() }), 200);

describe('DELETE /api/admin/groups/{id} and live streams', () => {
  it("drops the group from its members' streams, which carry on with their other groups", async () => {
    const [gone, kept] = [await createGroup(), await createGroup()];
    const u = await userIn(gone.id, kept.id);
    const client = await SseClient.open({ token: u.token });
    open.push(client);
    await publish(env, deleted(gone.id));
    expect(await client.message()).not.toBeNull();
    const hub = env.GROUP_HUB.getByName(gone.id);
    expect(await hubSubscribers(hub)).toBe(1);

    await deleteGroup(gone.id);
    // Closed by the deletion itself, not by some later message of the group.
    await until(async () => (await hubSubscribers(hub)) === 0);
    const next = deleted(kept.id);
    await publish(env, next);
    expect((await client.message())!.data).toEqual(next);
    expect(client.cursor()).toEqual({ [kept.id]: 1 });
  });

  it('ends the stream of a member whose only group was deleted', async () => {
    const group = await createGroup();
    const client = await SseClient.open({ token: (await userIn(group.id)).token });
    open.push(client);
    await deleteGroup(group.id);
    expect(await client.message()).toBeNull();
    expect(client.ended).toBe(true);
  });

  it("erases the deleted group's stored history", async () => {
    const group = await createGroup();
    const hub = env.GROUP_HUB.getByName(group.id);
    for (let i = 0; i < 3; i++) await publish(env, deleted(group.id));
    expect((await hub.history(0)).head).toBe(3);

    await deleteGroup(group.id);
    const stored = () =>
      runInDurableObject(
        hub,
        (_: GroupHub, state) => state.storage.sql.exec<{ n: number }>('SELECT count(*) AS n FROM messages').one().n,
      );
    await until(async () => (await hub.history(0)).head === 0);
    expect(await stored()).toBe(0);
    expect(await hub.history(0)).toEqual({ head: 0, frames: [] });
  });

  it('answers history reads made while the group is being erased, with an empty one', async () => {
    const group = await createGroup();
    const hub = env.GROUP_HUB.getByName(group.id);
    await publish(env, deleted(group.id));
    // Reads race the erasure: none fails, each sees the history before or after it.
    const erasure = hub.dissolve();
    const seen = await Promise.all(Array.from({ length: 20 }, () => hub.history(0)));
    await erasure;
    for (const history of seen) expect([0, 1]).toContain(history.head);
    expect(await hub.history(0)).toEqual({ head: 0, frames: [] });
  });

  it('answers a history read made while the group is being erased with an empty history', async () => {
    const group = await createGroup();
    const hub = env.GROUP_HUB.getByName(group.id);
    await publish(env, deleted(group.id));
    // Mid-erasure: `dissolve` awaits deleteAll, so a read can find the storage without its tables.
    const read = await runInDurableObject(hub, async (instance: GroupHub, state) => {
      await state.storage.deleteAll();
      return instance.history(0);
    });
    expect(read).toEqual({ head: 0, frames: [] });
  });
});
