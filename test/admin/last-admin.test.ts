/**
 * Two global admins acting against each other at the same moment: the guard
 * sits inside the writing statements, so one of them always remains. Either
 * request may win; each test checks the outcome for whichever did.
 * (Own file: these stories may remove the bootstrapped admin.)
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { onlyActiveAdmins, rootAdminId } from '../helpers/admin';
import { adminToken, call, createUser } from '../helpers/api';

/** Which of these users are active global admins (sorted). */
const activeAdminsAmong = async (...ids: string[]) =>
  (
    await env.DB.prepare(
      `select id from users where is_admin and is_active and id in (${ids.map(() => '?').join(', ')}) order by id`,
    )
      .bind(...ids)
      .all<{ id: string }>()
  ).results.map((r) => r.id);

/** Exactly one of two opposing requests succeeds; the other meets the guard (409) or finds its caller gone (401). */
function winnerOf(results: Response[]): number {
  const statuses = results.map((r) => r.status);
  expect(
    statuses.filter((s) => s === 200),
    `statuses ${statuses}`,
  ).toHaveLength(1);
  expect(
    statuses.filter((s) => s === 409 || s === 401),
    `statuses ${statuses}`,
  ).toHaveLength(1);
  return statuses.indexOf(200);
}

describe('the last active global admin', () => {
  it('survives two admins deactivating each other at once', async () => {
    const root = { id: await rootAdminId(), token: await adminToken() };
    const second = await createUser();
    await onlyActiveAdmins(root.id, second.id);
    expect(await activeAdminsAmong(root.id, second.id)).toHaveLength(2);
    const results = await Promise.all([
      call('PUT', `/api/admin/users/${second.id}/status`, { token: root.token, body: { isActive: false } }),
      call('PUT', `/api/admin/users/${root.id}/status`, { token: second.token, body: { isActive: false } }),
    ]);
    // Whoever deactivated the other is the one left.
    const survivor = [root, second][winnerOf(results)]!;
    expect(await activeAdminsAmong(root.id, second.id)).toEqual([survivor.id]);
  });

  it('survives two admins deleting each other at once', async () => {
    const [a, b] = [await createUser(), await createUser()];
    await onlyActiveAdmins(a.id, b.id);
    expect(await activeAdminsAmong(a.id, b.id)).toHaveLength(2);
    const results = await Promise.all([
      call('DELETE', `/api/admin/users/${b.id}`, { token: a.token }),
      call('DELETE', `/api/admin/users/${a.id}`, { token: b.token }),
    ]);
    // Whoever deleted the other is the one left; the other account is gone.
    const survivor = [a, b][winnerOf(results)]!;
    expect(await activeAdminsAmong(a.id, b.id)).toEqual([survivor.id]);
    const left = await env.DB.prepare('select id from users where id in (?, ?)').bind(a.id, b.id).all<{ id: string }>();
    expect(left.results.map((r) => r.id)).toEqual([survivor.id]);
  });
});
