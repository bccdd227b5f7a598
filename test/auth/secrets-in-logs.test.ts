/**
 * Nothing secret reaches a log line: a failing database during sign-in and
 * forgot-password is logged by request id, route and error class, never with
 * the statement's bound parameters (drizzle puts them in its messages).
 */
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../src/app';
import { hashTemporaryPassword } from '../../src/auth/temporary-password';
import { describeError } from '../../src/lib/log';
import { createUser } from '../helpers/api';
import { callRecordingChannels, channelTeam, consume, createChannel, hookUrl, script } from '../helpers/channels';
import { countedRequests, countingD1, D1_FAILURE } from '../helpers/d1-counter';
import { captureLogs } from '../helpers/logs';

afterEach(() => vi.restoreAllMocks());

describe('logs during a database failure', () => {
  it('of a login hold neither the password, its hash, nor the email', async () => {
    const u = await createUser();
    const logs = captureLogs().lines;
    const send = countedRequests(createApp(), { failWhen: (sql) => /from "users"/.test(sql) });
    const res = await send('POST', '/api/auth/login', { body: { email: u.email, password: u.password } });
    expect(res.status).toBe(500);
    expect(JSON.parse(res.text)).toMatchObject({ code: 'internal_error' });
    const text = logs.join('\n');
    expect(text).toContain(JSON.parse(res.text).requestId);
    expect(text).toContain('"route":"/api/auth/login"');
    for (const secret of [u.password, await hashTemporaryPassword(env.JWT_SECRET, u.password), u.email]) {
      expect(text).not.toContain(secret);
    }
  });

  it('of a forgot-password hold neither the email nor the temporary password’s hash', async () => {
    const u = await createUser();
    const logs = captureLogs().lines;
    const send = countedRequests(createApp(), { failWhen: (sql) => /temporary_passwords/.test(sql) });
    const res = await send('POST', '/api/auth/forgot-password', { body: { email: u.email } });
    // The answer never depends on the account: the failure happens after it.
    expect(res.status).toBe(200);
    const text = logs.join('\n');
    expect(text).toContain('temporary password not stored');
    expect(text).not.toContain(u.email);
    expect(text).not.toMatch(/[0-9a-f]{64}/);
  });

  it('of a channel’s creation and delivery hold neither its URL nor its secret', async () => {
    const { group, lead } = await channelTeam();
    const url = hookUrl.webhook();
    const logs = captureLogs();
    const send = countedRequests(createApp(), { failWhen: (sql) => /insert into "channels"/.test(sql) });
    const res = await send('POST', `/api/groups/${group.id}/channels`, { token: lead.token, body: { kind: 'webhook', url } });
    expect(res.status).toBe(500);
    // A delivery whose database write fails after the request went out.
    const channel = await createChannel(lead.token, group.id, { kind: 'webhook', url });
    const { jobs } = await callRecordingChannels('POST', `/api/channels/${channel.id}/test`, { token: lead.token });
    await script(url, [{ status: 500, body: url }]);
    await consume(jobs, 1, { DB: countingD1(env.DB, (sql) => /update "channel_deliveries"/.test(sql)).db });
    const text = logs.lines.join('\n');
    expect(text).toContain('channel job (deliver) failed');
    for (const secret of [url, new URL(url).pathname, channel.secret]) expect(text).not.toContain(secret);
  });

  it('describe a drizzle error by its classes and SQLite’s reason only', async () => {
    const u = await createUser();
    const send = countedRequests(createApp(), { failWhen: (sql) => /from "users"/.test(sql) });
    const logs = captureLogs().lines;
    const res = await send('POST', '/api/auth/forgot-password', { body: { email: u.email } });
    expect([res.status, JSON.parse(res.text).code]).toEqual([500, 'internal_error']);
    expect(logs.join('\n')).toContain(D1_FAILURE);
    const wrapped = new Error(`Failed query: select 1\nparams: ${u.email},secret-hash`, { cause: new Error(D1_FAILURE) });
    wrapped.name = 'DrizzleQueryError';
    expect(describeError(wrapped)).toBe(`DrizzleQueryError ← Error: ${D1_FAILURE}`);
  });
});
