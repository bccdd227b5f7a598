/**
 * Every log line is one JSON object with the fields operators search by:
 * a request's line (route template, status, duration, D1 trips and rows
 * read, a hashed user), a 500's (at error, with the error's class), a mail
 * batch's and the daily run's. None holds a token, password, email or body.
 */
import { createExecutionContext, createMessageBatch, createScheduledController, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../src/app';
import worker from '../../src/index';
import type { OutgoingMail } from '../../src/mail';
import { MAIL_MAX_RETRIES } from '../../src/mail/consumer';
import { call, groupWith, json } from '../helpers/api';
import { countedRequests } from '../helpers/d1-counter';
import { createEvent, dayIn } from '../helpers/events';
import { captureLogs } from '../helpers/logs';

afterEach(() => vi.restoreAllMocks());

const requestLines = (entries: Record<string, unknown>[]) => entries.filter((e) => e.msg === 'request');

describe('log lines', () => {
  it('of a request: one JSON line at info, with the route template, status, duration, D1 cost and a hashed user', async () => {
    const { users } = await groupWith(1);
    const [member] = users;
    const event = await createEvent(member!, { date: dayIn(3), description: 'Secret family recipe' });
    const logs = captureLogs();
    const res = await call('GET', `/api/events/${event.id}`, { token: member!.token });
    await json(res, 200);
    const [line, ...more] = requestLines(logs.entries());
    expect(more).toEqual([]);
    expect(line).toEqual({
      level: 'info',
      msg: 'request',
      requestId: res.headers.get('X-Request-Id'),
      method: 'GET',
      route: '/api/events/:id',
      status: 200,
      durationMs: expect.any(Number),
      trips: expect.any(Number),
      rowsRead: expect.any(Number),
      user: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    expect(line!.trips).toBeGreaterThanOrEqual(1);
    expect(line!.rowsRead).toBeGreaterThanOrEqual(1);
    const text = logs.lines.join('\n');
    for (const secret of [member!.id, member!.email, member!.token, member!.password, String(event.id), 'Secret family recipe']) {
      expect(text).not.toContain(secret);
    }

    // The same user's requests carry the same hash; another's another.
    const again = captureLogs();
    await call('GET', `/api/events/${event.id}`, { token: member!.token });
    expect(requestLines(again.entries())[0]!.user).toBe(line!.user);
  });

  it('of a request without a session: no user, and a 4xx stays at info', async () => {
    const logs = captureLogs();
    const res = await call('POST', '/api/auth/login', { body: { email: 'nobody@cake.test', password: 'Wrong-Password-123' } });
    expect(res.status).toBe(401);
    const [line] = requestLines(logs.entries());
    expect(line).toMatchObject({ level: 'info', route: '/api/auth/login', status: 401 });
    expect(line).not.toHaveProperty('user');
    expect(logs.lines.join('\n')).not.toMatch(/nobody@cake\.test|Wrong-Password-123/);
  });

  it('with LOG_LEVEL=warn: no info line, warnings and errors still', async () => {
    const logs = captureLogs();
    (env as { LOG_LEVEL?: string }).LOG_LEVEL = 'warn';
    await call('POST', '/api/auth/login', { body: { email: 'nobody@cake.test', password: 'Wrong-Password-123' } });
    const send = countedRequests(createApp(), { failWhen: (sql) => /from "events"/.test(sql) });
    const { users } = await groupWith(1);
    await send('GET', '/api/events/ranked?limit=3', { token: users[0]!.token });
    const levels = logs.entries().map((e) => e.level);
    expect(levels).not.toContain('info');
    expect(levels).toContain('error');
  });

  it('of a path with a secret in it: the template, never the path', async () => {
    const logs = captureLogs();
    await call('GET', '/api/calendar/feed-token-that-is-secret.ics');
    await call('GET', '/api/no-such-route/another-secret-segment');
    const [feed, unknown] = requestLines(logs.entries());
    expect(feed).toMatchObject({ route: '/api/calendar/:file', status: 404 });
    expect(unknown).toMatchObject({ status: 404, route: expect.any(String) });
    expect(logs.lines.join('\n')).not.toMatch(/feed-token-that-is-secret|another-secret-segment/);
  });

  it('of a 500: the request line at error with the error class, and the error line, both by request id', async () => {
    const { users } = await groupWith(1);
    const send = countedRequests(createApp(), { failWhen: (sql) => /from "events"/.test(sql) });
    const logs = captureLogs();
    const res = await send('GET', '/api/events/ranked?limit=3', { token: users[0]!.token });
    expect(res.status).toBe(500);
    const requestIdOf = JSON.parse(res.text).requestId;
    const entries = logs.entries();
    expect(requestLines(entries)).toEqual([
      expect.objectContaining({
        level: 'error',
        status: 500,
        route: '/api/events/ranked',
        requestId: requestIdOf,
        errorClass: expect.any(String),
      }),
    ]);
    expect(entries.find((e) => e.msg === 'request failed')).toMatchObject({
      level: 'error',
      requestId: requestIdOf,
      route: '/api/events/ranked',
      errorClass: expect.any(String),
      error: expect.stringContaining('D1_ERROR'),
    });
    expect(logs.lines.join('\n')).not.toContain(users[0]!.email);
  });

  it('of a mail batch: what was sent, retried and dead-lettered, by template, never the address or the content', async () => {
    const mail = (to: string): OutgoingMail => ({
      to,
      template: 'temporary_password',
      language: 'en',
      data: { name: 'Ann', password: 'Temp-Password-XYZ', minutes: 30 },
    });
    const batch = createMessageBatch<OutgoingMail>('cake-planner-mail', [
      { id: 'ok', timestamp: new Date(), attempts: 1, body: mail('ann@cake.test') },
      { id: 'again', timestamp: new Date(), attempts: 1, body: mail('bob@cake.test') },
      { id: 'dead', timestamp: new Date(), attempts: MAIL_MAX_RETRIES + 1, body: mail('cid@cake.test') },
    ]);
    // The mail server refuses Bob and Cid, quoting the address as servers do.
    const email = {
      send: async (message: { to: string }) => {
        if (message.to !== 'ann@cake.test') throw new Error(`550 mailbox ${message.to} unavailable`);
      },
    };
    const logs = captureLogs();
    const ctx = createExecutionContext();
    await worker.queue(batch as never, { ...env, EMAIL: email } as never, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual(['ok']);
    const entries = logs.entries();
    expect(entries.find((e) => e.msg === 'mail batch')).toEqual({
      level: 'warn',
      msg: 'mail batch',
      queue: 'cake-planner-mail',
      messages: 3,
      sent: 1,
      digests: 0,
      retried: 1,
      deadLettered: 1,
      durationMs: expect.any(Number),
    });
    expect(entries.filter((e) => e.level === 'error').map((e) => [e.msg, e.kind, e.attempts, e.errorClass])).toEqual([
      ['mail delivery failed; will retry', 'temporary_password', 1, 'Error'],
      ['mail failed its last attempt; dead-lettered', 'temporary_password', MAIL_MAX_RETRIES + 1, 'Error'],
    ]);
    expect(logs.lines.join('\n')).not.toMatch(/@cake\.test|Temp-Password-XYZ|Ann/);
  });

  it('of the daily run: a line per job with its count, and the run’s summary', async () => {
    const logs = captureLogs();
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: '0 6 * * *' }), env);
    const entries = logs.entries();
    const jobs = entries.filter((e) => e.msg === 'daily job');
    expect(jobs.map((j) => j.job).sort()).toEqual(
      [
        'assignment reminders',
        'cake ledger and assignments',
        'channel messages',
        'photo deletion retry',
        'reminders',
        'sign-in failure sweep',
        'write budget sweep',
      ].sort(),
    );
    for (const job of jobs) expect(job).toMatchObject({ level: 'info', outcome: 'done', durationMs: expect.any(Number) });
    expect(jobs.find((j) => j.job === 'reminders')!.count).toEqual(expect.any(Number));
    expect(jobs.find((j) => j.job === 'write budget sweep')!.count).toEqual(expect.any(Number));
    expect(entries.find((e) => e.msg === 'daily run')).toEqual({
      level: 'info',
      msg: 'daily run',
      jobs: 7,
      durationMs: expect.any(Number),
    });
    expect(logs.lines.join('\n')).not.toMatch(/@/);
  });
});
