import { evictDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeCursor } from '../../src/live/cursor';
import { MAX_STREAMS_PER_USER, NOT_A_MEMBER, TOO_MANY_STREAMS } from '../../src/live/group-hub';
import { publish } from '../../src/live/publish';
import { call, createGroup, json, userIn } from '../helpers/api';
import { hubSubscribers, openStream, rated, SseClient, until } from '../helpers/live';

const open: SseClient[] = [];
const groups: string[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
  // Let the hubs see every socket go, so none of that work outlasts the test file.
  for (const groupId of groups.splice(0)) {
    const hub = env.GROUP_HUB.getByName(groupId);
    await until(async () => (await hubSubscribers(hub)) === 0);
  }
});

async function trackedGroup(): Promise<{ id: string }> {
  const g = await createGroup();
  groups.push(g.id);
  return g;
}

/** Opens streams one after another, so their age is their order. */
async function streams(token: string, count: number): Promise<SseClient[]> {
  const clients: SseClient[] = [];
  for (let i = 0; i < count; i++) {
    const client = await SseClient.open({ token });
    open.push(client);
    clients.push(client);
  }
  return clients;
}

/** The stream's response ends (cleanly: the body is done, no error) with nothing more on it. */
async function expectEnded(client: SseClient) {
  expect(await client.block()).toBeNull();
  expect(client.ended).toBe(true);
}

describe('streams per user', () => {
  it('keeps as many open as the API documents: all of them deliver, one more ends the oldest, the others carry on', async () => {
    const doc = await json(call('GET', '/api/openapi.json'), 200);
    const cap = Number(/A user has at most (\d+) open streams/.exec(doc.paths['/api/events/stream'].get.description)?.[1]);
    expect(cap).toBe(MAX_STREAMS_PER_USER);
    const group = await trackedGroup();
    const [u, other] = [await userIn(group.id), await userIn(group.id)];
    const hub = env.GROUP_HUB.getByName(group.id);
    const bystander = await SseClient.open({ token: other.token });
    open.push(bystander);

    // Up to the cap, every stream stays open and delivers.
    const clients = await streams(u.token, cap);
    await until(async () => (await hubSubscribers(hub)) === cap + 1);
    const first = rated(group.id, 1);
    await publish(env, first);
    for (const c of [...clients, bystander]) expect((await c.message())!.data).toEqual(first);

    // One more ends the oldest; the others carry on.
    clients.push(...(await streams(u.token, 1)));
    await expectEnded(clients[0]!);
    await until(async () => (await hubSubscribers(hub)) === cap + 1);
    const message = rated(group.id, 2);
    await publish(env, message);
    for (const c of [...clients.slice(1), bystander]) expect((await c.message())!.data).toEqual(message);

    // The next one ends the oldest left.
    const [newest] = await streams(u.token, 1);
    await expectEnded(clients[1]!);
    const next = rated(group.id, 3);
    await publish(env, next);
    for (const c of [...clients.slice(2), newest!, bystander]) expect((await c.message())!.data).toEqual(next);
  });

  it('knows which stream is the oldest across the hub’s hibernation', async () => {
    const group = await trackedGroup();
    const u = await userIn(group.id);
    const hub = env.GROUP_HUB.getByName(group.id);
    const before = await streams(u.token, MAX_STREAMS_PER_USER - 1);
    await evictDurableObject(hub);
    const after = await streams(u.token, 2);

    await expectEnded(before[0]!);
    const message = rated(group.id, 1);
    await publish(env, message);
    for (const c of [...before.slice(1), ...after]) expect((await c.message())!.data).toEqual(message);
  });

  it('ends the whole stream of a user in several groups; its last id resumes every group', async () => {
    const [g1, g2] = [await trackedGroup(), await trackedGroup()];
    const u = await userIn(g1.id, g2.id);
    const clients = await streams(u.token, MAX_STREAMS_PER_USER + 1);
    await expectEnded(clients[0]!);
    expect(decodeCursor(clients[0]!.lastId)).toEqual({ [g1.id]: 0, [g2.id]: 0 });

    const missed = [rated(g1.id, 1), rated(g2.id, 2)];
    for (const m of missed) await publish(env, m);
    const again = new SseClient(await openStream({ token: u.token, lastEventId: clients[0]!.lastId! }));
    open.push(again);
    expect(await again.block()).toMatch(/^retry: /);
    const replayed = await again.messages(2);
    expect(new Set(replayed.map((d) => d.data.eventId))).toEqual(new Set(missed.map((m) => m.eventId)));
    // Reconnecting took the place of the oldest stream left, once it had what it was sent.
    await clients[1]!.messages(2);
    await expectEnded(clients[1]!);
  });

  it('closes the oldest socket with a code of its own: its stream ends rather than drop the group as for a member who left', async () => {
    const { id } = await trackedGroup();
    const hub = env.GROUP_HUB.getByName(id);
    const user = crypto.randomUUID();
    const codes: (number | undefined)[] = [];
    const sockets: WebSocket[] = [];
    for (let i = 0; i <= MAX_STREAMS_PER_USER; i++) {
      const res = await hub.fetch(`https://group-hub/subscribe?user=${user}&tv=0`, { headers: { Upgrade: 'websocket' } });
      const socket = res.webSocket!;
      socket.accept();
      codes.push(undefined);
      socket.addEventListener('close', (event) => (codes[i] = event.code));
      sockets.push(socket);
    }
    // Someone else's sockets do not count towards this user's.
    const other = (await hub.fetch(`https://group-hub/subscribe?user=x${user}&tv=0`, { headers: { Upgrade: 'websocket' } }))
      .webSocket!;
    other.accept();
    sockets.push(other);

    await until(() => codes[0] !== undefined);
    expect(codes[0]).toBe(TOO_MANY_STREAMS);
    await until(async () => (await hubSubscribers(hub)) === MAX_STREAMS_PER_USER + 1);
    expect(codes.slice(1)).toEqual(Array(MAX_STREAMS_PER_USER).fill(undefined));

    // Dropping the group, as for a member who left, closes the other sockets with a code the stream tells apart.
    await hub.dissolve();
    await until(() => codes.every((code) => code !== undefined));
    expect(codes.slice(1)).toEqual(Array(MAX_STREAMS_PER_USER).fill(NOT_A_MEMBER));
    expect(codes[0]).not.toBe(codes[1]);
    for (const socket of sockets) {
      try {
        socket.close(1000, 'done');
      } catch {
        // already closed by the hub
      }
    }
  });
});
