import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../src/live/cursor';
import { type LiveMessage, publish } from '../../src/live/publish';
import { adminToken, call, createGroup, expectProblem, groupWith, json, removeFromAllGroups, userIn } from '../helpers/api';
import { closedAfterEach, hubSubscribers, SseClient } from '../helpers/live';

const open = closedAfterEach();

async function connect(token: string, lastEventId?: string) {
  const client = await SseClient.open({ token, lastEventId });
  open.push(client);
  return client;
}

const newEvent = (groupId: string, n = 1): Extract<LiveMessage, { type: 'NEW_EVENT' }> => ({
  type: 'NEW_EVENT',
  groupId,
  eventId: crypto.randomUUID(),
  bakerName: `Baker ${n}`,
  date: `2026-12-0${(n % 9) + 1}`,
});

describe('GET /api/events/stream', () => {
  it('starts with retry and an id, as text/event-stream', async () => {
    const { users } = await groupWith(1);
    const client = await connect(users[0]!.token);
    expect(client.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(client.response.headers.get('cache-control')).toContain('no-cache');
    expect(client.text).toMatch(/^retry: 3000\n\nid: [A-Za-z0-9_-]+\n\n$/);
  });

  it("delivers a message to exactly its group's clients, framed as data block then id block", async () => {
    const a = await groupWith(2);
    const b = await groupWith(1);
    const [a1, a2, b1] = await Promise.all([connect(a.users[0]!.token), connect(a.users[1]!.token), connect(b.users[0]!.token)]);

    const message = newEvent(a.group.id);
    await publish(env, message);

    for (const client of [a1, a2]) {
      const got = await client.message();
      expect(got!.data).toEqual(message);
      expect(client.text.endsWith(`data: ${JSON.stringify(message)}\n\nid: ${got!.id}\n\n`)).toBe(true);
      expect(decodeCursor(got!.id)).toEqual({ [a.group.id]: 1 });
    }
    await b1.expectSilence();

    const other: LiveMessage = { type: 'EVENT_RATED', groupId: b.group.id, eventId: message.eventId, average: 4.5, count: 2 };
    await publish(env, other);
    expect((await b1.message())!.data).toEqual(other);
    await a1.expectSilence();
    await a2.expectSilence();
  });

  it('carries every message type with its fields', async () => {
    const { group, users } = await groupWith(1);
    const client = await connect(users[0]!.token);
    const eventId = crypto.randomUUID();
    const sent: LiveMessage[] = [
      { type: 'NEW_EVENT', groupId: group.id, eventId, bakerName: 'Anna', date: '2026-12-24' },
      { type: 'EVENT_RATED', groupId: group.id, eventId, average: 4.25, count: 4 },
      { type: 'PHOTO_ADDED', groupId: group.id, eventId, userName: 'Jörg 🎂' },
      { type: 'EVENT_DELETED', groupId: group.id, eventId },
    ];
    for (const m of sent) await publish(env, m);
    const got = await client.messages(sent.length);
    expect(got.map((m) => m.data)).toEqual(sent);
    expect(got.map((m) => decodeCursor(m.id)[group.id])).toEqual([1, 2, 3, 4]);
  });

  it('gives a member of two groups both on one stream, with one cursor for both', async () => {
    const g1 = await createGroup();
    const g2 = await createGroup();
    await userIn(g1.id);
    const outsider = await createGroup();
    const u = await userIn(g1.id, g2.id);
    const client = await connect(u.token);

    const m1 = newEvent(g1.id, 1);
    const m2 = newEvent(g2.id, 2);
    await publish(env, m1);
    await publish(env, newEvent(outsider.id, 3));
    await publish(env, m2);

    const [d1, d2] = await client.messages(2);
    expect(d1!.data).toEqual(m1);
    expect(d2!.data).toEqual(m2);
    expect(decodeCursor(d2!.id)).toEqual({ [g1.id]: 1, [g2.id]: 1 });
    await client.expectSilence();
  });

  it('replays what a reconnecting client missed (Last-Event-ID), then continues live', async () => {
    const g1 = await createGroup();
    const g2 = await createGroup();
    const u = await userIn(g1.id, g2.id);

    const first = await connect(u.token);
    await publish(env, newEvent(g1.id, 1));
    const seen = await first.message();
    await first.close();

    const missed = [newEvent(g1.id, 2), newEvent(g2.id, 3), newEvent(g1.id, 4)];
    for (const m of missed) await publish(env, m);

    const again = new SseClient(
      await call('GET', '/api/events/stream', { token: u.token, headers: { 'Last-Event-ID': seen!.id } }),
    );
    open.push(again);
    expect(await again.block()).toMatch(/^retry: /);
    const replayed = await again.messages(3);
    expect(new Set(replayed.map((m) => m.data.eventId))).toEqual(new Set(missed.map((m) => m.eventId)));
    // Within a group, order is kept.
    expect(replayed.filter((m) => m.data.groupId === g1.id).map((m) => m.data)).toEqual([missed[0], missed[2]]);
    expect(decodeCursor(replayed[2]!.id)).toEqual({ [g1.id]: 3, [g2.id]: 1 });

    const live = newEvent(g2.id, 5);
    await publish(env, live);
    expect((await again.message())!.data).toEqual(live);
  });

  it('resumes from the id sent at subscription, before any message was received', async () => {
    const { group, users } = await groupWith(1);
    const first = await connect(users[0]!.token);
    const id = first.lastId!;
    await first.close();
    const missed = newEvent(group.id);
    await publish(env, missed);
    const again = new SseClient(await call('GET', `/api/events/stream?lastEventId=${id}`, { token: users[0]!.token }));
    open.push(again);
    await again.block();
    expect((await again.message())!.data).toEqual(missed);
  });

  it('ignores an unreadable Last-Event-ID and groups the caller is not in', async () => {
    const mine = await groupWith(1);
    const other = await groupWith(1);
    await publish(env, newEvent(other.group.id));
    await publish(env, newEvent(mine.group.id));
    const forged = await connect(mine.users[0]!.token, encodeCursor({ [other.group.id]: 0 }));
    await forged.expectSilence();
    const garbage = await connect(mine.users[0]!.token, 'not base64 {');
    await garbage.expectSilence();
    const live = newEvent(mine.group.id, 2);
    await publish(env, live);
    expect((await garbage.message())!.data).toEqual(live);
  });

  it('stops delivering a group to a member removed from it', async () => {
    const g1 = await createGroup();
    const g2 = await createGroup();
    const u = await userIn(g1.id, g2.id);
    const stays = await userIn(g1.id);
    const removed = await connect(u.token);
    const member = await connect(stays.token);

    await publish(env, newEvent(g1.id, 1));
    expect(await removed.message()).not.toBeNull();
    await member.message();

    // The admin panel's "no group": removes all memberships.
    await removeFromAllGroups(u.id);
    await publish(env, newEvent(g1.id, 2));
    await publish(env, newEvent(g2.id, 3));
    await removed.expectSilence();
    expect((await member.message())!.data.groupId).toBe(g1.id);
    expect(await hubSubscribers(env.GROUP_HUB.getByName(g1.id))).toBe(1);
  });

  it('stops delivering a group to a member removed with DELETE /api/admin/groups/{id}/members/{userId}', async () => {
    const g1 = await createGroup();
    const g2 = await createGroup();
    const u = await userIn(g1.id, g2.id);
    const client = await connect(u.token);
    await json(call('DELETE', `/api/admin/groups/${g1.id}/members/${u.id}`, { token: await adminToken() }), 200);
    await publish(env, newEvent(g1.id, 1));
    const kept = newEvent(g2.id, 2);
    await publish(env, kept);
    expect((await client.message())!.data).toEqual(kept);
    await client.expectSilence();
    expect(client.cursor()).toEqual({ [g2.id]: 1 });
  });

  it('keeps delivering the groups a member still belongs to', async () => {
    const g1 = await createGroup();
    const g2 = await createGroup();
    const u = await userIn(g1.id, g2.id);
    const client = await connect(u.token);
    // Leave g1 only: clear all, then rejoin g2.
    await removeFromAllGroups(u.id);
    await json(
      call('POST', '/api/admin/users/assign-group', { token: await adminToken(), body: { userId: u.id, groupId: g2.id } }),
      200,
    );
    await publish(env, newEvent(g1.id, 1));
    const kept = newEvent(g2.id, 2);
    await publish(env, kept);
    expect((await client.message())!.data).toEqual(kept);
    await client.expectSilence();
  });

  it('ends the stream once its user is out of every group, instead of pinging forever', async () => {
    const g1 = await createGroup();
    const g2 = await createGroup();
    const u = await userIn(g1.id, g2.id);
    const client = await connect(u.token);
    await removeFromAllGroups(u.id);
    await publish(env, newEvent(g1.id, 1));
    await publish(env, newEvent(g2.id, 2));
    expect(await client.message()).toBeNull();
    expect(client.ended).toBe(true);
    // The reconnect reads the memberships afresh: in no group there is nothing to stream.
    await expectProblem(call('GET', '/api/events/stream', { token: u.token }), 409, 'conflict');
  });

  it('refuses a stream to a user in no group, holding nothing open', async () => {
    const u = await userIn();
    const refused = await expectProblem(call('GET', '/api/events/stream', { token: u.token }), 409, 'conflict');
    expect(refused.detail).toMatch(/no group/);
  });

  it('replays only what was published after the user joined the group', async () => {
    const group = await createGroup();
    const before = newEvent(group.id, 1);
    await publish(env, before);
    await new Promise((r) => setTimeout(r, 20));
    const u = await userIn(group.id);
    await new Promise((r) => setTimeout(r, 20));
    const after = newEvent(group.id, 2);
    await publish(env, after);
    // A forged cursor asking for everything since the group's first message.
    const client = new SseClient(
      await call('GET', '/api/events/stream', { token: u.token, headers: { 'Last-Event-ID': encodeCursor({ [group.id]: 0 }) } }),
    );
    open.push(client);
    expect(await client.block()).toMatch(/^retry: /);
    expect((await client.message())!.data).toEqual(after);
    await client.expectSilence();
  });

  it('ends within moments of its session being revoked, on a group where nothing is published', async () => {
    const group = await createGroup();
    const u = await userIn(group.id);
    const client = await connect(u.token);
    await json(call('PUT', `/api/admin/users/${u.id}/status`, { token: await adminToken(), body: { isActive: false } }), 200);
    // The stream re-reads its session every LIVE_SESSION_CHECK_MS (300 ms in tests, 45 s deployed).
    expect(await client.message(3000)).toBeNull();
    expect(client.ended).toBe(true);
  });

  it('replays 300 missed messages completely, however many bytes that is at once, then goes on live', async () => {
    const { group, users } = await groupWith(1);
    const first = await connect(users[0]!.token);
    const id = first.lastId!;
    await first.close();
    // 300 × 4 KB: the replay alone is over the 1 MB a slow client may leave unread in live traffic.
    const padding = 'x'.repeat(4096);
    const hub = env.GROUP_HUB.getByName(group.id);
    const missed = Array.from({ length: 300 }, (_, i) => ({ ...newEvent(group.id, i), bakerName: `${i} ${padding}` }));
    for (const m of missed) await hub.publish(m);

    const again = new SseClient(
      await call('GET', '/api/events/stream', { token: users[0]!.token, headers: { 'Last-Event-ID': id } }),
    );
    open.push(again);
    expect(await again.block()).toMatch(/^retry: /);
    // A live message published while the replay may still be unread follows it.
    const live = newEvent(group.id, 301);
    await publish(env, live);
    const got = await again.messages(301);
    expect(got.map((m) => m.data.eventId)).toEqual([...missed, live].map((m) => m.eventId));
    expect(again.cursor()).toEqual({ [group.id]: 301 });
  });

  it('ends the stream of a deactivated user on the next message', async () => {
    const { group, users } = await groupWith(1);
    const client = await connect(users[0]!.token);
    await json(
      call('PUT', `/api/admin/users/${users[0]!.id}/status`, { token: await adminToken(), body: { isActive: false } }),
      200,
    );
    await publish(env, newEvent(group.id));
    expect(await client.message()).toBeNull();
    expect(client.ended).toBe(true);
  });
});
