import { createExecutionContext } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { BASE, call, expectProblem, groupWith, json, type TestUser } from '../helpers/api';
import { createEvent, dayIn } from '../helpers/events';

/** The app with some bindings or variables replaced. */
function fetchWith(overrides: Record<string, unknown>, request: Request) {
  return createApp().fetch(request, { ...env, ...overrides }, createExecutionContext());
}

describe('problem+json for bad input', () => {
  it('400 malformed JSON', async () => {
    const body = await expectProblem(call('POST', '/api/auth/login', { body: '{"email":' }), 400, 'malformed_json');
    expect(body.detail).not.toMatch(/at .*\.ts|SELECT|D1/i);
  });

  it('400 validation names the field', async () => {
    const body = await expectProblem(
      call('POST', '/api/auth/register', { body: { name: '', email: 'not-an-email', password: 'x' } }),
      400,
      'validation_failed',
    );
    const paths = body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'email', 'password']));
  });

  it('400 validation_failed for a JSON body that is not UTF-8, wherever one is read, and nothing is stored', async () => {
    const { users } = await groupWith(2);
    const [baker, rater] = users as [TestUser, TestUser];
    const past = await createEvent(baker, { date: dayIn(-1) });
    // `{"a":"x\xC3("}`: 0xC3 opens a two-byte sequence that 0x28 does not continue.
    const notUtf8 = (before: string, after: string) =>
      new Uint8Array([...new TextEncoder().encode(before), 0xc3, 0x28, ...new TextEncoder().encode(after)]);
    const email = `${crypto.randomUUID()}@cake.test`;
    const refused: [string, string, Uint8Array, string?][] = [
      ['POST', '/api/events', notUtf8(`{"date":"${dayIn(1)}","description":"Kuchen `, '"}'), baker.token],
      ['POST', `/api/events/${past.id}/rate`, notUtf8('{"stars":5,"comment":"lecker ', '"}'), rater.token],
      ['POST', '/api/auth/register', notUtf8(`{"name":"Anna `, `","email":"${email}","password":"A-long-enough-password-1"}`)],
    ];
    for (const [method, path, body, token] of refused) {
      const problem = await expectProblem(call(method, path, { body, token }), 400, 'validation_failed');
      expect(problem.detail, path).toMatch(/UTF-8/);
    }
    expect(await json(call('GET', `/api/events?start=${dayIn(-1)}&end=${dayIn(1)}`, { token: baker.token }), 200)).toMatchObject([
      { id: past.id, rating: { count: 0 } },
    ]);
    await expectProblem(
      call('POST', '/api/auth/login', { body: { email, password: 'A-long-enough-password-1' } }),
      401,
      'invalid_credentials',
    );
    // A route that reads no body is not refused for one.
    await json(call('POST', '/api/events/stream/ticket', { body: notUtf8('{"a":"', '"}'), token: baker.token }), 200);
  });

  it('404 unknown route, with a request id', async () => {
    const res = await call('GET', '/api/nothing-here');
    expect(res.headers.get('x-request-id')).toBeTruthy();
    const body = await expectProblem(res, 404, 'not_found');
    expect(body.requestId).toBe(res.headers.get('x-request-id'));
  });

  it('404 for a path with an empty or dot segment, where the route without it answers', async () => {
    await json(call('GET', '/api/system/ping'), 200);
    for (const path of [
      '/api/system/ping/',
      '/api/system//ping',
      '//api/system/ping',
      '/api/system/ping/.',
      '/api/system/ping/x/..',
      '/api/system/ping/x/%2E%2e',
    ]) {
      await expectProblem(call('GET', path), 404, 'not_found');
    }
  });

  it('405 known route, wrong method, with Allow', async () => {
    const res = await call('DELETE', '/api/system/healthcheck');
    expect(res.headers.get('allow')).toContain('GET');
    await expectProblem(res, 405, 'method_not_allowed');
  });

  it('413 oversized JSON body', async () => {
    const big = JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(70 * 1024) });
    await expectProblem(call('POST', '/api/auth/login', { body: big }), 413, 'payload_too_large');
  });

  it('413 oversized body without Content-Length (streamed)', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(16 * 1024));
    let sent = 0;
    const stream = new ReadableStream({
      pull(controller) {
        if (sent++ >= 8) return controller.close();
        controller.enqueue(chunk);
      },
    });
    const res = await exports.default.fetch(
      new Request(`${BASE}/api/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': '10.99.0.1' },
        body: stream,
        // @ts-expect-error workerd accepts duplex for streamed bodies
        duplex: 'half',
      }),
    );
    await expectProblem(res, 413, 'payload_too_large');
  });

  it('415 unsupported content type', async () => {
    await expectProblem(
      call('POST', '/api/auth/login', { body: 'email=a', headers: { 'Content-Type': 'text/plain' } }),
      415,
      'unsupported_media_type',
    );
  });

  it('415 for a multipart body on a JSON-only route', async () => {
    const form = new FormData();
    form.set('email', 'a@cake.test');
    await expectProblem(call('POST', '/api/auth/login', { form }), 415, 'unsupported_media_type');
  });

  it('401 names the Bearer scheme', async () => {
    const res = await call('GET', '/api/user');
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    await expectProblem(res, 401, 'unauthorized');
  });

  it('500 is problem+json without stack, SQL or binding name', async () => {
    const failing = {
      prepare: () => {
        throw new Error('D1_ERROR: no such table: users at DB.prepare (src/x.ts:1)');
      },
    };
    const res = await fetchWith(
      { DB: failing as unknown as D1Database },
      new Request(`${BASE}/api/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': '10.99.0.2' },
        body: JSON.stringify({ email: 'a@cake.test', password: 'whatever-password' }),
      }),
    );
    const text = await res.clone().text();
    await expectProblem(res, 500, 'internal_error');
    expect(text).not.toMatch(/D1|table|users|\.ts|DB/);
  });

  it('security headers on every response', async () => {
    const res = await call('GET', '/api/system/healthcheck');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('strict-transport-security')).toBeTruthy();
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('CORS only for configured origins (none by default)', async () => {
    const res = await call('GET', '/api/system/healthcheck', { headers: { Origin: 'https://evil.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('CORS for a configured origin, preflight included', async () => {
    const vars = { CORS_ORIGINS: 'https://cake.example, https://admin.cake.example' };
    const preflight = await fetchWith(
      vars,
      new Request(`${BASE}/api/events/stream`, {
        method: 'OPTIONS',
        headers: {
          Origin: 'https://admin.cake.example',
          'Access-Control-Request-Method': 'GET',
          'Access-Control-Request-Headers': 'authorization, last-event-id',
        },
      }),
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://admin.cake.example');
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('last-event-id');
    const res = await fetchWith(
      vars,
      new Request(`${BASE}/api/system/healthcheck`, { headers: { Origin: 'https://cake.example' } }),
    );
    expect(res.headers.get('access-control-allow-origin')).toBe('https://cake.example');
    expect(res.headers.get('access-control-expose-headers')).toContain('X-Request-Id');
    const other = await fetchWith(
      vars,
      new Request(`${BASE}/api/system/healthcheck`, { headers: { Origin: 'https://evil.example' } }),
    );
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});
