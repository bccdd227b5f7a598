import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';

describe('GET /api/system/healthcheck', () => {
  it('answers 200 when D1 and R2 answer', async () => {
    const res = await exports.default.fetch('http://x/api/system/healthcheck');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', checks: { d1: 'ok', r2: 'ok' } });
  });
});
