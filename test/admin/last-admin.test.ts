/**
 * Two global admins acting against each other at the same moment: the guard
 * sits inside the writing statements, so one of them always remains.
 * (Own file: these stories may remove the bootstrapped admin.)
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { adminToken, call, createUser } from '../helpers/api';
import { makeGlobalAdmin, rootAdminId } from '../helpers/admin';

const activeAdmins = async () =>
  (await env.DB.prepare('select count(*) n from users where is_admin and is_active').first<{ n: number }>())!.n;

describe('the last active global admin', () => {
  it('survives two admins deactivating each other at once', async () => {
    const token = await adminToken();
    const root = { id: await rootAdminId(), token };
    const second = await createUser();
    await makeGlobalAdmin(second.id);
    const results = await Promise.all([
      call('PUT', `/api/admin/users/${second.id}/status`, { token: root.token, body: { isActive: false } }),
      call('PUT', `/api/admin/users/${root.id}/status`, { token: second.token, body: { isActive: false } }),
    ]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409 || s === 401)).toHaveLength(1);
    expect(await activeAdmins()).toBe(1);
  });

  it('survives two admins deleting each other at once', async () => {
    const [a, b] = [await createUser(), await createUser()];
    await makeGlobalAdmin(a.id);
    await makeGlobalAdmin(b.id);
    // Leave exactly these two as active admins.
    await env.DB.prepare('update users set is_active = 0 where is_admin and id not in (?, ?)').bind(a.id, b.id).run();
    expect(await activeAdmins()).toBe(2);
    const results = await Promise.all([
      call('DELETE', `/api/admin/users/${b.id}`, { token: a.token }),
      call('DELETE', `/api/admin/users/${a.id}`, { token: b.token }),
    ]);
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409 || s === 401)).toHaveLength(1);
    expect(await activeAdmins()).toBe(1);
  });
});
