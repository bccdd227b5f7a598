import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/lib/encoding';
import { publish } from '../../src/live/publish';
import { adminToken, call, createGroup, expectProblem, json, userIn } from '../helpers/api';
import { closedAfterEach, openStream, SseClient } from '../helpers/live';

const open = closedAfterEach();

const ticketFor = (token: string) =>
  json<{ ticket: string; expiresAt: string }>(call('POST', '/api/events/stream/ticket', { token }), 200);

describe('stream authentication', () => {
  it('refuses a stream without credentials', async () => {
    await expectProblem(openStream(), 401, 'unauthorized');
    await expectProblem(openStream({ token: 'not.a.jwt' }), 401, 'invalid_token');
  });

  it('refuses a JWT in the query string, even next to a valid header', async () => {
    const u = await userIn();
    for (const name of ['token', 'jwt', 'access_token']) {
      await expectProblem(openStream({ query: { [name]: u.token } }), 401, 'unauthorized');
      await expectProblem(openStream({ token: u.token, query: { [name]: u.token } }), 401, 'unauthorized');
    }
    await expectProblem(openStream({ ticket: u.token }), 401, 'invalid_token');
  });

  it('opens an EventSource-style stream with a ticket, exactly once', async () => {
    const group = await createGroup();
    const u = await userIn(group.id);
    const { ticket, expiresAt } = await ticketFor(u.token);
    expect(ticket).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(50_000);
    expect(Date.parse(expiresAt) - Date.now()).toBeLessThanOrEqual(60_000);

    const client = await SseClient.open({ ticket });
    open.push(client);
    const message = { type: 'EVENT_DELETED', groupId: group.id, eventId: crypto.randomUUID() } as const;
    await publish(env, message);
    expect((await client.message())!.data).toEqual(message);

    await expectProblem(openStream({ ticket }), 401, 'invalid_token');
  });

  it('stores only the hash of a ticket', async () => {
    const u = await userIn();
    const { ticket } = await ticketFor(u.token);
    const rows = await env.DB.prepare('SELECT ticket_hash FROM stream_tickets WHERE user_id = ?').bind(u.id).all();
    expect(rows.results).toEqual([{ ticket_hash: await sha256Hex(ticket) }]);
  });

  it('refuses an expired ticket', async () => {
    const u = await userIn();
    const ticket = `expired-ticket-${crypto.randomUUID()}`;
    await env.DB.prepare('INSERT INTO stream_tickets (ticket_hash, user_id, token_version, expires_at) VALUES (?, ?, 0, ?)')
      .bind(await sha256Hex(ticket), u.id, new Date(Date.now() - 1000).toISOString())
      .run();
    await expectProblem(openStream({ ticket }), 401, 'invalid_token');
  });

  it('refuses a ticket of a user deactivated after it was issued', async () => {
    const u = await userIn();
    const { ticket } = await ticketFor(u.token);
    await json(call('PUT', `/api/admin/users/${u.id}/status`, { token: await adminToken(), body: { isActive: false } }), 200);
    await expectProblem(openStream({ ticket }), 401, 'invalid_token');
  });

  it('refuses a ticket whose session ended after it was issued (password changed)', async () => {
    const group = await createGroup();
    const u = await userIn(group.id);
    const { ticket } = await ticketFor(u.token);
    const newPassword = `${u.password}-changed`;
    const { token } = await json(
      call('POST', '/api/user/change-password', { token: u.token, body: { currentPassword: u.password, newPassword } }),
      200,
    );
    await expectProblem(openStream({ ticket }), 401, 'invalid_token');
    // The ticket is spent all the same, and the new session's tickets work.
    await expectProblem(openStream({ ticket }), 401, 'invalid_token');
    open.push(await SseClient.open({ ticket: (await ticketFor(token)).ticket }));
  });

  it('refuses a ticket of a user who must change their password (403), like the header', async () => {
    const group = await createGroup();
    const u = await userIn(group.id);
    const { ticket } = await ticketFor(u.token);
    // Flag only (no revocation), as a temporary-password login leaves it.
    await env.DB.prepare('UPDATE users SET must_change_password = 1 WHERE id = ?').bind(u.id).run();
    await expectProblem(openStream({ ticket }), 403, 'password_change_required');
    await expectProblem(openStream({ token: u.token }), 403, 'password_change_required');
  });

  it('issues tickets only to authenticated callers', async () => {
    await expectProblem(call('POST', '/api/events/stream/ticket'), 401);
  });

  it('refuses a revoked token', async () => {
    const u = await userIn();
    await json(call('PUT', `/api/admin/users/${u.id}/status`, { token: await adminToken(), body: { isActive: false } }), 200);
    await json(call('PUT', `/api/admin/users/${u.id}/status`, { token: await adminToken(), body: { isActive: true } }), 200);
    await expectProblem(openStream({ token: u.token }), 401, 'invalid_token');
  });

  it('resumes a ticket stream with the lastEventId query parameter', async () => {
    const group = await createGroup();
    const u = await userIn(group.id);
    const first = await SseClient.open({ ticket: (await ticketFor(u.token)).ticket });
    const id = first.lastId!;
    await first.close();
    const missed = { type: 'PHOTO_ADDED', groupId: group.id, eventId: crypto.randomUUID(), userName: 'Ute' } as const;
    await publish(env, missed);
    const again = new SseClient(await openStream({ ticket: (await ticketFor(u.token)).ticket, query: { lastEventId: id } }));
    open.push(again);
    await again.block();
    expect((await again.message())!.data).toEqual(missed);
  });
});
