import { createExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { call, createUser, expectProblem, json } from '../helpers/api';

const app = createApp();

/** The Worker with one binding replaced by one that always fails. */
function fetchWith(overrides: Partial<typeof env>, path: string) {
  return app.fetch(new Request(`https://cake.test${path}`), { ...env, ...overrides }, createExecutionContext());
}

const broken = new Proxy(
  {},
  {
    get() {
      return () => {
        throw new Error('binding down: internal detail');
      };
    },
  },
);

describe('healthcheck', () => {
  it('reports ok with version and no secrets', async () => {
    const body = await json(call('GET', '/api/system/healthcheck'), 200);
    expect(body).toEqual({ status: 'ok', checks: { d1: 'ok', r2: 'ok', queues: 'ok' }, version: expect.any(String) });
  });

  it('answers 503 naming R2 when R2 fails', async () => {
    const res = await fetchWith({ PHOTOS: broken as R2Bucket }, '/api/system/healthcheck');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'fail', checks: { d1: 'ok', r2: 'fail' } });
  });

  it('answers 503 naming D1 when D1 fails', async () => {
    const res = await fetchWith({ DB: broken as D1Database }, '/api/system/healthcheck');
    expect(res.status).toBe(503);
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ status: 'fail', checks: { d1: 'fail', r2: 'ok' } });
    expect(text).not.toContain('internal detail');
  });

  it('answers 503 naming the queues when a queue binding is missing', async () => {
    const res = await fetchWith({ MAIL_QUEUE: undefined }, '/api/system/healthcheck');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'fail', checks: { d1: 'ok', r2: 'ok', queues: 'fail' } });
  });

  it('answers 503 instead of hanging when a dependency does not answer', async () => {
    const hanging = { head: () => new Promise(() => {}) } as unknown as R2Bucket;
    const started = Date.now();
    const res = await fetchWith({ PHOTOS: hanging }, '/api/system/healthcheck');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ checks: { d1: 'ok', r2: 'fail' } });
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('sysinfo', () => {
  it('needs a token', async () => {
    await expectProblem(call('GET', '/api/system/sysinfo'), 401, 'unauthorized');
    await expectProblem(call('GET', '/api/system/sysinfo', { token: 'not-a-jwt' }), 401, 'invalid_token');
  });

  it('shows the keys the admin panel reads', async () => {
    const u = await createUser();
    const body = await json(call('GET', '/api/system/sysinfo', { token: u.token }), 200);
    for (const key of [
      'project_name',
      'prog_longname',
      'description',
      'version',
      'homepage',
      'author',
      'license',
      'created_year',
      'organization',
      'domain',
      'runtime',
      'compatibility_date',
      'commit',
      'build_date',
    ]) {
      expect(body).toHaveProperty(key);
    }
    // Read from wrangler.toml and package.json, not from copies in src/.
    expect(body.compatibility_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(body.license).toBe('UNLICENSED');
  });
});
