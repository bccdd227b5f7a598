/**
 * Which copy of D1 each request reads (local D1 has no replicas, so the
 * routing itself is what is tested): writes, credential and admin routes,
 * the stream and the own profile open `first-primary`; other reads the
 * client's bookmark or `first-unconstrained`; READ_REPLICAS=off only the
 * primary. The response's bookmark is never older than the request's, comes
 * as header and cookie, and a read with it sees the write that made it.
 */

import { createExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import benchWorker, { latencyOf } from '../../bench/latency-worker';
import { createApp } from '../../src/app';
import { apiRequest, groupWith, type TestUser } from '../helpers/api';
import { countedRequests } from '../helpers/d1-counter';
import { dayIn } from '../helpers/events';

const app = createApp();
const send = countedRequests(app);
const sendWithoutReplicas = countedRequests(app, { env: { READ_REPLICAS: 'off' } });

let anna: TestUser;
let groupId: string;
beforeAll(async () => {
  const { group, users } = await groupWith(1);
  [anna] = users as [TestUser];
  groupId = group.id;
  await send('GET', '/api/system/healthcheck');
});

const month = () => `/api/events?start=${dayIn(-5)}&end=${dayIn(30)}`;
const cookieOf = (res: Response) => /cake_d1_bookmark=([^;]+)/.exec(res.headers.get('Set-Cookie') ?? '')?.[1];

describe('D1 sessions per request', () => {
  it('writes, credential and admin routes, the stream and the profile start on the primary', async () => {
    const primary = [
      ['POST', '/api/events', { token: anna.token, body: { date: dayIn(3) } }],
      ['POST', '/api/auth/login', { body: { email: anna.email, password: anna.password } }],
      ['GET', '/api/admin/users', { token: anna.token }],
      ['GET', '/api/user', { token: anna.token }],
      ['POST', '/api/events/stream/ticket', { token: anna.token }],
    ] as const;
    for (const [method, path, options] of primary) {
      const r = await send(method, path, options);
      expect([method, path, r.sessions]).toEqual([method, path, ['first-primary']]);
    }
  });

  it('other reads start anywhere, or at least as new as the bookmark the client sent (header or cookie)', async () => {
    const plain = await send('GET', month(), { token: anna.token });
    expect(plain.status).toBe(200);
    expect(plain.sessions).toEqual(['first-unconstrained']);
    const bookmark = plain.res.headers.get('X-D1-Bookmark')!;
    expect(bookmark).toMatch(/^[0-9a-f]{8}-/);
    for (const path of ['/api/events/ranked', '/api/users', '/api/user/groups', '/api/user/calendar']) {
      const viaHeader = await send('GET', path, { token: anna.token, headers: { 'X-D1-Bookmark': bookmark } });
      expect([path, viaHeader.status, viaHeader.sessions]).toEqual([path, 200, [bookmark]]);
      // Never older than what the client sent.
      expect(viaHeader.res.headers.get('X-D1-Bookmark')! >= bookmark).toBe(true);
    }
    const viaCookie = await send('GET', month(), { token: anna.token, headers: { Cookie: `cake_d1_bookmark=${bookmark}` } });
    expect(viaCookie.sessions).toEqual([bookmark]);
  });

  it('sets the bookmark cookie for same-origin browsers, and a read with the write’s bookmark sees the write', async () => {
    const created = await send('POST', '/api/events', { token: anna.token, body: { date: dayIn(4), groupId } });
    expect(created.status).toBe(201);
    const cookie = created.res.headers.get('Set-Cookie')!;
    expect(cookie).toMatch(/cake_d1_bookmark=[^;]+; Max-Age=60; Path=\/api; HttpOnly; Secure; SameSite=Lax/);
    const id = JSON.parse(created.text).id;
    const ways: Record<string, string>[] = [
      { 'X-D1-Bookmark': created.res.headers.get('X-D1-Bookmark')! },
      { Cookie: `cake_d1_bookmark=${cookieOf(created.res)}` },
    ];
    for (const headers of ways) {
      const read = await send('GET', month(), { token: anna.token, headers });
      expect(JSON.parse(read.text).map((e: any) => e.id)).toContain(id);
    }
  });

  it('READ_REPLICAS=off puts every request on the primary', async () => {
    for (const path of [month(), '/api/events/ranked', '/api/users']) {
      const r = await sendWithoutReplicas('GET', path, { token: anna.token });
      expect([path, r.status, r.sessions]).toEqual([path, 200, ['first-primary']]);
    }
  });

  it('ignores a malformed or foreign bookmark (header or cookie): the read starts anywhere, never a 500', async () => {
    for (const bad of ['garbage', '<script>', 'x'.repeat(300), '00000000-zzzz', '']) {
      const ways: Record<string, string>[] = [
        { 'X-D1-Bookmark': bad },
        { Cookie: `cake_d1_bookmark=${encodeURIComponent(bad)}` },
      ];
      for (const headers of ways) {
        const r = await send('GET', month(), { token: anna.token, headers });
        expect([bad, r.status, r.sessions]).toEqual([bad, 200, ['first-unconstrained']]);
      }
    }
    // Well formed but from nowhere: D1 may refuse it; the read then runs once more without it.
    const foreign = '00000001-00000000-00000000-0123456789abcdef0123456789abcdef';
    const r = await send('GET', month(), { token: anna.token, headers: { 'X-D1-Bookmark': foreign } });
    expect(r.status).toBe(200);
    expect(r.sessions[0]).toBe(foreign);
  });

  it('a request that reads nothing from D1 sets no bookmark', async () => {
    const ping = await send('GET', '/api/system/ping');
    expect(ping.res.headers.get('X-D1-Bookmark')).toBeNull();
    expect(ping.res.headers.get('Set-Cookie')).toBeNull();
    expect(env.DB).toBeDefined();
  });
});

describe('the benchmark entry with its latency model (bench/latency-worker.ts, D1_LATENCY_MODEL)', () => {
  it('is off unless set exactly, and picks the primary and the replica figure', () => {
    expect(latencyOf('')).toEqual({ primary: 0, replica: 0 });
    expect(latencyOf(undefined)).toEqual({ primary: 0, replica: 0 });
    expect(latencyOf('primary=150')).toEqual({ primary: 0, replica: 0 });
    expect(latencyOf('primary=150,replica=5')).toEqual({ primary: 150, replica: 5 });
  });

  it('leaves every answer as it is: reads, batches and writes go through the delayed binding', async () => {
    const modelled = (method: string, path: string, options: Parameters<typeof apiRequest>[2]) =>
      benchWorker.fetch(
        apiRequest(method, path, options) as Request<unknown, IncomingRequestCfProperties>,
        { ...env, D1_LATENCY_MODEL: 'primary=1,replica=1' } as never,
        createExecutionContext(),
      );
    expect((await modelled('GET', month(), { token: anna.token })).status).toBe(200);
    expect((await modelled('POST', '/api/auth/login', { body: { email: anna.email, password: anna.password } })).status).toBe(
      200,
    );
    expect((await modelled('POST', '/api/events', { token: anna.token, body: { date: dayIn(6) } })).status).toBe(201);
  });
});
