/**
 * authenticate() as a unit: a small app with the real middleware, D1 and
 * token, so what no route of the API does on purpose is tried here — a
 * handler that forgets the check, a rule refusing before the body is read,
 * and the one batch the check shares with a handler's queries.
 */

import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { authenticate } from '../../src/auth/authenticate';
import { users } from '../../src/db/schema';
import { createRouter } from '../../src/lib/create-router';
import { answerError } from '../../src/lib/error-mapping';
import { database } from '../../src/lib/middleware';
import { requireGlobalAdmin } from '../../src/policy';
import { createUser } from '../helpers/api';

function appWith(build: (app: ReturnType<typeof createRouter>) => void) {
  const app = createRouter();
  app.use('*', database);
  build(app);
  app.onError(answerError);
  return async (path: string, init: RequestInit = {}) => {
    const ctx = createExecutionContext();
    const res = await app.request(path, init, env, ctx);
    await waitOnExecutionContext(ctx);
    return res;
  };
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('authenticate()', () => {
  it('fails closed when a handler answers without checking the session', async () => {
    const call = appWith((app) => app.get('/forgot', authenticate(), (c) => c.json({ leaked: true })));
    const u = await createUser();
    const res = await call('/forgot', { headers: bearer(u.token) });
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ code: 'internal_error' });
  });

  it('hands the handler its caller and its queries from one batch, written for the token’s user', async () => {
    const call = appWith((app) =>
      app.get('/me', authenticate(), async (c) => {
        const [caller, rows] = await c.var.auth.check((me) => [
          c.var.db.select({ email: users.email }).from(users).where(eq(users.id, me)),
        ]);
        return c.json({ id: caller.id, email: rows[0]?.email });
      }),
    );
    const u = await createUser();
    const res = await call('/me', { headers: bearer(u.token) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: u.id, email: u.email });
  });

  it('refuses a revoked session even when the handler’s own queries succeed', async () => {
    const call = appWith((app) =>
      app.get('/me', authenticate(), async (c) => {
        const [caller] = await c.var.auth.check();
        return c.json({ id: caller.id });
      }),
    );
    const u = await createUser();
    await env.DB.prepare('update users set token_version = token_version + 1 where id = ?').bind(u.id).run();
    const res = await call('/me', { headers: bearer(u.token) });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'invalid_token' });
  });

  it('applies the route’s rule upfront: 403 before the handler runs', async () => {
    let ran = false;
    const call = appWith((app) =>
      app.post('/admin-only', authenticate({ admits: requireGlobalAdmin, upfront: true }), (c) => {
        ran = true;
        return c.json({});
      }),
    );
    const u = await createUser();
    const res = await call('/admin-only', { method: 'POST', headers: bearer(u.token), body: 'not json' });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: 'forbidden' });
    expect(ran).toBe(false);
  });

  it('answers 401 unauthorized without a token and invalid_token for a garbage one', async () => {
    const call = appWith((app) => app.get('/me', authenticate(), async (c) => c.json({ id: (await c.var.auth.check())[0].id })));
    const anonymous = await call('/me');
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ code: 'unauthorized' });
    const garbage = await call('/me', { headers: bearer('not-a-jwt') });
    expect(garbage.status).toBe(401);
    expect(await garbage.json()).toMatchObject({ code: 'invalid_token' });
  });
  it('refuses a write sent before the check: it never reaches D1', async () => {
    const call = appWith((app) =>
      app.post('/write-first', authenticate(), async (c) => {
        const u = c.req.query('id')!;
        await c.var.db.update(users).set({ name: 'Written before the check' }).where(eq(users.id, u));
        await c.var.auth.check();
        return c.json({ written: true });
      }),
    );
    const u = await createUser();
    const res = await call(`/write-first?id=${u.id}`, { method: 'POST', headers: bearer(u.token) });
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ code: 'internal_error' });
    const [row] = await env.DB.prepare('select name from users where id = ?')
      .bind(u.id)
      .all<{ name: string }>()
      .then((r) => r.results);
    expect(row!.name).toBe(u.name);
  });

  it('refuses a statement sent beside the check rather than after it', async () => {
    const call = appWith((app) =>
      app.post('/write-beside', authenticate(), async (c) => {
        const u = c.req.query('id')!;
        await Promise.all([
          c.var.auth.check(),
          c.var.db.update(users).set({ name: 'Written beside the check' }).where(eq(users.id, u)),
        ]);
        return c.json({ written: true });
      }),
    );
    const u = await createUser();
    const res = await call(`/write-beside?id=${u.id}`, { method: 'POST', headers: bearer(u.token) });
    expect(res.status).toBe(500);
    const [row] = await env.DB.prepare('select name from users where id = ?')
      .bind(u.id)
      .all<{ name: string }>()
      .then((r) => r.results);
    expect(row!.name).toBe(u.name);
  });

  it('lets statements through once the caller has passed the check', async () => {
    const call = appWith((app) =>
      app.post('/write-after', authenticate(), async (c) => {
        const [caller] = await c.var.auth.check();
        await c.var.db.update(users).set({ name: 'Written after the check' }).where(eq(users.id, caller.id));
        return c.json({ written: true });
      }),
    );
    const u = await createUser();
    const res = await call('/write-after', { method: 'POST', headers: bearer(u.token) });
    expect(res.status).toBe(200);
    const [row] = await env.DB.prepare('select name from users where id = ?')
      .bind(u.id)
      .all<{ name: string }>()
      .then((r) => r.results);
    expect(row!.name).toBe('Written after the check');
  });
});
