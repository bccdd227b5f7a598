import { evictDurableObject, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { decodeCursor } from '../../src/live/cursor';
import type { GroupHub } from '../../src/live/group-hub';
import { publish } from '../../src/live/publish';
import { createGroup, userIn } from '../helpers/api';
import { closedAfterEach, hubSubscribers, rated, SseClient, until } from '../helpers/live';

const open = closedAfterEach();

describe('GroupHub', () => {
  it("keeps connected clients across the hub's eviction (hibernation)", async () => {
    const group = await createGroup();
    const users = [await userIn(group.id), await userIn(group.id)];
    const clients = await Promise.all(users.map((u) => SseClient.open({ token: u.token })));
    open.push(...clients);
    const hub = env.GROUP_HUB.getByName(group.id);

    await publish(env, rated(group.id, 1));
    for (const c of clients) expect(await c.message()).not.toBeNull();

    await evictDurableObject(hub);
    const after = rated(group.id, 2);
    await publish(env, after);
    for (const c of clients) {
      const got = await c.message();
      expect(got!.data).toEqual(after);
      expect(c.cursor()).toEqual({ [group.id]: 2 });
    }
    const sockets = await runInDurableObject(hub, (_: GroupHub, state) => state.getWebSockets().length);
    expect(sockets).toBe(2);
  });

  it('keeps no timers or alarms, and drops the sockets of clients that went away', async () => {
    const group = await createGroup();
    const u = await userIn(group.id);
    const hub = env.GROUP_HUB.getByName(group.id);
    const clients = await Promise.all([1, 2, 3].map(() => SseClient.open({ token: u.token })));
    expect(await hubSubscribers(hub)).toBe(3);
    expect(await runInDurableObject(hub, (_: GroupHub, state) => state.storage.getAlarm())).toBeNull();

    await clients[0]!.close();
    await clients[1]!.close();
    await until(async () => (await hubSubscribers(hub)) === 1);
    await publish(env, rated(group.id, 1));
    expect(await clients[2]!.message()).not.toBeNull();
    await clients[2]!.close();
    await until(async () => (await hubSubscribers(hub)) === 0);
  });

  it('keeps at least the last 100 messages for replay, numbered without gaps', async () => {
    const group = await createGroup();
    const hub = env.GROUP_HUB.getByName(group.id);
    for (let i = 1; i <= 120; i++) await hub.publish(rated(group.id, i));
    const { head, frames } = await hub.history(0);
    expect(head).toBe(120);
    // Younger than 24 h: nothing is pruned yet.
    expect(frames.map((f) => f.seq)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    expect((await hub.history(118)).frames.map((f) => f.message)).toEqual(
      [rated(group.id, 119), rated(group.id, 120)].map((m) => ({ ...m, eventId: expect.any(String) })),
    );
    expect(await hub.history(null)).toEqual({ head: 120, frames: [] });
  });

  it('keeps its replay under a rating flood: only the latest EVENT_RATED of each event stays', async () => {
    const group = await createGroup();
    const hub = env.GROUP_HUB.getByName(group.id);
    const news = Array.from({ length: 150 }, (_, i) => ({
      type: 'NEW_EVENT' as const,
      groupId: group.id,
      eventId: crypto.randomUUID(),
      bakerName: `Baker ${i}`,
      date: '2026-12-24',
    }));
    const flooded = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    await runInDurableObject(hub, async (instance: GroupHub) => {
      for (const message of news) await instance.publish(message);
      for (let i = 1; i <= 5000; i++) {
        await instance.publish({ type: 'EVENT_RATED', groupId: group.id, eventId: flooded[i % 3]!, average: 3, count: i });
      }
    });
    const { head, frames } = await hub.history(0);
    expect(head).toBe(5150);
    expect(frames.filter((f) => f.message.type === 'NEW_EVENT').map((f) => f.message)).toEqual(news);
    const ratings = frames
      .filter((f) => f.message.type === 'EVENT_RATED')
      .map((f) => f.message as { eventId: string; count: number });
    expect(ratings.map((r) => r.count)).toEqual([4998, 4999, 5000]);
    expect(new Set(ratings.map((r) => r.eventId))).toEqual(new Set(flooded));
  });

  it('prunes messages older than 24 h beyond the last 100', async () => {
    const group = await createGroup();
    const hub = env.GROUP_HUB.getByName(group.id);
    for (let i = 1; i <= 105; i++) await hub.publish(rated(group.id, i));
    await runInDurableObject(hub, (_: GroupHub, state) => {
      state.storage.sql.exec('UPDATE messages SET created_at = created_at - ?', 25 * 60 * 60 * 1000);
    });
    await hub.publish(rated(group.id, 106));
    const { head, frames } = await hub.history(0);
    expect(head).toBe(106);
    expect(frames.map((f) => f.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 7));
  });

  it('numbers concurrent publishes in the order it received them, whatever order D1 answers in', async () => {
    const group = await createGroup();
    const client = await SseClient.open({ token: (await userIn(group.id)).token });
    open.push(client);
    const hub = env.GROUP_HUB.getByName(group.id);
    const seqs = await runInDurableObject(hub, async (instance: GroupHub) => {
      // The membership query of the first publish answers last: unserialized, it would be numbered last.
      const patched = instance as unknown as { audience(groupId: string): Promise<Map<string, number>> };
      const audience = patched.audience.bind(instance);
      let calls = 0;
      patched.audience = async (groupId) => {
        const slow = calls++ === 0;
        const result = await audience(groupId);
        if (slow) await new Promise((r) => setTimeout(r, 300));
        return result;
      };
      try {
        return await Promise.all([1, 2, 3, 4, 5].map((n) => instance.publish(rated(group.id, n))));
      } finally {
        delete (patched as { audience?: unknown }).audience;
      }
    });
    expect(seqs).toEqual([1, 2, 3, 4, 5]);
    const got = await client.messages(5);
    expect(got.map((m) => m.data.count)).toEqual([1, 2, 3, 4, 5]);
    expect(got.map((m) => decodeCursor(m.id)[group.id])).toEqual([1, 2, 3, 4, 5]);
  });

  it('keeps publishing after a publish failed', async () => {
    const group = await createGroup();
    const client = await SseClient.open({ token: (await userIn(group.id)).token });
    open.push(client);
    const hub = env.GROUP_HUB.getByName(group.id);
    const [failed, next] = await runInDurableObject(hub, async (instance: GroupHub) => {
      const patched = instance as unknown as { audience(groupId: string): Promise<Map<string, number>> };
      const audience = patched.audience.bind(instance);
      let calls = 0;
      patched.audience = async (groupId) => {
        if (calls++ === 0) throw new Error('D1 unavailable');
        return audience(groupId);
      };
      try {
        return await Promise.allSettled([instance.publish(rated(group.id, 1)), instance.publish(rated(group.id, 2))]);
      } finally {
        delete (patched as { audience?: unknown }).audience;
      }
    });
    expect(failed.status).toBe('rejected');
    expect(next).toEqual({ status: 'fulfilled', value: 1 });
    expect((await client.message())!.data.count).toBe(2);
  });

  it('answers anything but a WebSocket upgrade with 426', async () => {
    const res = await env.GROUP_HUB.getByName('any').fetch('https://group-hub/subscribe');
    expect(res.status).toBe(426);
  });
});
