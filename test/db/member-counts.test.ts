/**
 * groups.member_count, kept by the membership triggers (migration 0013):
 * after every way a membership comes or goes, each group's count is the
 * number of its memberships.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { adminToken, call, createGroup, groupWith, json, removeFromAllGroups, userIn } from '../helpers/api';

async function expectCountsTrue(...groupIds: string[]) {
  for (const id of groupIds) {
    const row = await env.DB.prepare(
      'select member_count kept, (select count(*) from memberships where group_id = ?1) counted from groups where id = ?1',
    )
      .bind(id)
      .first<{ kept: number; counted: number }>();
    expect(row!.kept, id).toBe(row!.counted);
  }
}

describe('member counts', () => {
  it('follow joins, moves, removals, account deletions and show in both group lists', async () => {
    const { group, users } = await groupWith(4);
    const other = await createGroup();
    const admin = await adminToken();
    await expectCountsTrue(group.id, other.id);

    // Assigning a user to another group adds a membership there.
    await json(
      call('POST', '/api/admin/users/assign-group', { token: admin, body: { userId: users[0]!.id, groupId: other.id } }),
      200,
    );
    await json(call('DELETE', `/api/admin/groups/${group.id}/members/${users[1]!.id}`, { token: admin }), 200);
    await json(call('DELETE', `/api/admin/users/${users[2]!.id}`, { token: admin }), 200);
    await removeFromAllGroups(users[3]!.id);
    await expectCountsTrue(group.id, other.id);

    const both = await userIn(group.id, other.id);
    await expectCountsTrue(group.id, other.id);
    const listed = await json<any[]>(call('GET', '/api/user/groups', { token: both.token }), 200);
    const counted = async (id: string) =>
      (await env.DB.prepare('select count(*) n from memberships where group_id = ?').bind(id).first<{ n: number }>())!.n;
    expect(listed.map((g) => [g.id, g.memberCount]).sort()).toEqual(
      [
        [group.id, await counted(group.id)],
        [other.id, await counted(other.id)],
      ].sort(),
    );
    const page = await json<any[]>(call('GET', '/api/admin/groups?limit=1000', { token: admin }), 200);
    expect(page.find((g) => g.id === other.id)?.memberCount).toBe(await counted(other.id));
  });
});

describe('member names', () => {
  it("every membership carries its member's name, also after a rename (migration 0015)", async () => {
    const { group, users } = await groupWith(2);
    const other = await createGroup();
    await json(
      call('POST', '/api/admin/users/assign-group', {
        token: await adminToken(),
        body: { userId: users[0]!.id, groupId: other.id },
      }),
      200,
    );
    await env.DB.prepare('update users set name = ? where id = ?').bind('Renamed Member', users[0]!.id).run();
    const { results } = await env.DB.prepare(
      'select m.member_name, u.name from memberships m join users u on u.id = m.user_id where m.group_id in (?, ?)',
    )
      .bind(group.id, other.id)
      .all<{ member_name: string; name: string }>();
    expect(results.length).toBeGreaterThanOrEqual(3);
    for (const r of results) expect(r.member_name).toBe(r.name);
    expect(results.filter((r) => r.member_name === 'Renamed Member')).toHaveLength(2);
  });
});
