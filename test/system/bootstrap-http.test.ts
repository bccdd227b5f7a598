/**
 * The Worker creates the first global admin by itself, on its first HTTP
 * request, from ADMIN_EMAIL / ADMIN_PASSWORD (set in vitest.config.ts). This
 * file only talks HTTP: nothing here calls bootstrapAdmin().
 */
import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';

const post = (path: string, body: unknown) =>
  exports.default.fetch(
    new Request(`https://cake.test${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': '198.51.100.7' },
      body: JSON.stringify(body),
    }),
  );

describe('first global admin over HTTP', () => {
  it('logs in with ADMIN_EMAIL / ADMIN_PASSWORD as an active global admin', async () => {
    expect(env.ADMIN_EMAIL).toBeTruthy();
    expect(env.ADMIN_PASSWORD).toBeTruthy();
    // Nothing but this file's requests writes to its database: no admin yet.
    const before = await env.DB.prepare('select count(*) as n from users').first<{ n: number }>();
    expect(before!.n).toBe(0);

    const res = await post('/api/auth/login', { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD });
    const text = await res.text();
    expect(res.status, text).toBe(200);
    const body = JSON.parse(text);
    expect(body.user).toMatchObject({ email: env.ADMIN_EMAIL!.toLowerCase(), isAdmin: true, isActive: true });

    const users = await exports.default.fetch(
      new Request('https://cake.test/api/admin/users', { headers: { Authorization: `Bearer ${body.token}` } }),
    );
    expect(users.status).toBe(200);
  });
});
