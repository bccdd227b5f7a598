import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { bootstrapAdmin } from '../../src/bootstrap/admin';
import { createDb } from '../../src/db/client';

const db = () => createDb(env.DB);
const admins = async () =>
  (await env.DB.prepare('select email from users where is_admin = 1 and is_active = 1').all<{ email: string }>()).results;

describe('first global admin from ADMIN_EMAIL / ADMIN_PASSWORD', () => {
  // Each story starts from a database without any user.
  beforeEach(async () => {
    await env.DB.prepare('delete from users').run();
  });

  it('creates nothing without both variables', async () => {
    expect(await bootstrapAdmin({ ADMIN_EMAIL: 'a@cake.test' }, db())).toBe('not_configured');
    expect(await bootstrapAdmin({ ADMIN_PASSWORD: 'Some-Long-Password-1' }, db())).toBe('not_configured');
    expect(await bootstrapAdmin({}, db())).toBe('not_configured');
    expect(await admins()).toEqual([]);
  });

  it('refuses a password below the policy, once and for all', async () => {
    for (const weak of ['short', 'password1', 'x'.repeat(129)]) {
      expect(await bootstrapAdmin({ ADMIN_EMAIL: 'weak@cake.test', ADMIN_PASSWORD: weak }, db())).toBe('weak_password');
    }
    expect(await admins()).toEqual([]);
  });

  it('creates the admin once, active, and never twice', async () => {
    const vars = { ADMIN_EMAIL: ' First@Cake.Test ', ADMIN_PASSWORD: 'Some-Long-Password-1' };
    expect(await bootstrapAdmin(vars, db())).toBe('created');
    expect(await bootstrapAdmin(vars, db())).toBe('exists');
    expect(await bootstrapAdmin({ ADMIN_EMAIL: 'second@cake.test', ADMIN_PASSWORD: 'Other-Long-Password-2' }, db())).toBe(
      'exists',
    );
    expect(await admins()).toEqual([{ email: 'first@cake.test' }]);
  });
});
