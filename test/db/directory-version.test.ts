/**
 * The directory version (src/users/directory-version.ts) and the triggers
 * behind it: whatever writes the tables (the API, an import, a console), what
 * a caller's user lists show cannot change without their version changing;
 * changes no list of theirs shows leave it as it is.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/client';
import { eachChangeMovesVersion } from '../helpers/versions';
import { directoryVersionQuery } from '../../src/users/directory-version';
import { adminToken, createGroup, createUser, groupWith, userIn } from '../helpers/api';
import { rootAdminId } from '../helpers/admin';
import { createEvent, dayIn } from '../helpers/events';

const versionOf = async (userId: string) => (await directoryVersionQuery(createDb(env.DB), userId))[0]!.version;
const run = (sql: string, ...params: unknown[]) => env.DB.prepare(sql).bind(...params).run();

async function world() {
  const { group, users: [me, coMember] } = await groupWith(2);
  const elsewhere = await createGroup();
  await run('insert into memberships (user_id, group_id, role, created_at) values (?, ?, ?, ?)', coMember!.id, elsewhere.id, 'member', new Date().toISOString());
  const { group: other, users: [stranger] } = await groupWith(1);
  return { group, elsewhere, other, me: me!, coMember: coMember!, stranger: stranger! };
}

describe('a member’s version changes with everything their lists show', () => {
  eachChangeMovesVersion(world, versionOf, [
    ['a co-member’s name', (w) => run('update users set name = ? where id = ?', 'Renamed', w.coMember.id)],
    ['a co-member’s email', (w) => run('update users set email = ? where id = ?', `x-${crypto.randomUUID()}@cake.test`, w.coMember.id)],
    ['a co-member’s sign-in (lastLoginAt)', (w) => run('update users set last_login_at = ? where id = ?', new Date().toISOString(), w.coMember.id)],
    ['the member’s own name', (w) => run('update users set name = ? where id = ?', 'Me Again', w.me.id)],
    ['a co-member’s role', (w) => run("update memberships set role = 'admin' where user_id = ? and group_id = ?", w.coMember.id, w.group.id)],
    ['a new member of the group', async (w) => run('insert into memberships (user_id, group_id, role, created_at) values (?, ?, ?, ?)', (await createUser()).id, w.group.id, 'member', new Date().toISOString())],
    ['a member leaving the group', (w) => run('delete from memberships where user_id = ? and group_id = ?', w.coMember.id, w.group.id)],
    ['a co-member leaving another of their groups', (w) => run('delete from memberships where user_id = ? and group_id = ?', w.coMember.id, w.elsewhere.id)],
    ['a co-member erased (memberships by cascade)', (w) => run('delete from users where id = ?', w.coMember.id)],
    ['the group renamed', (w) => run('update groups set name = ? where id = ?', `Renamed ${crypto.randomUUID()}`, w.group.id)],
    ['another group of a co-member renamed', (w) => run('update groups set name = ? where id = ?', `Renamed ${crypto.randomUUID()}`, w.elsewhere.id)],
    ['the group deleted', (w) => run('delete from groups where id = ?', w.group.id)],
  ]);
});

describe('a member’s version stays while nothing their lists show changes', () => {
  it('a user of another group, another group renamed or joined, a description, a new event', async () => {
    const w = await world();
    const before = await versionOf(w.me.id);
    await run('update users set name = ?, last_login_at = ? where id = ?', 'Far Away', new Date().toISOString(), w.stranger.id);
    await run('update groups set name = ? where id = ?', `Renamed ${crypto.randomUUID()}`, w.other.id);
    await run('insert into memberships (user_id, group_id, role, created_at) values (?, ?, ?, ?)', (await createUser()).id, w.other.id, 'member', new Date().toISOString());
    await run("update groups set description = 'new words' where id = ?", w.group.id);
    await createEvent(w.coMember, { date: dayIn(20), groupId: w.group.id }); // bumps the group's feed version, not its directory

    expect(await versionOf(w.me.id)).toBe(before);
  });
});

describe('a caller without a group, and a global admin, see every account change', () => {
  it('any user added or changed', async () => {
    const alone = await createUser();
    await adminToken();
    const admin = await rootAdminId();
    const before = [await versionOf(alone.id), await versionOf(admin)];
    const someone = await userIn((await createGroup()).id);
    const afterInsert = [await versionOf(alone.id), await versionOf(admin)];
    expect(afterInsert[0]).not.toBe(before[0]);
    expect(afterInsert[1]).not.toBe(before[1]);
    await run('update users set last_login_at = ? where id = ?', new Date().toISOString(), someone.id);
    expect(await versionOf(admin)).not.toBe(afterInsert[1]);
    expect(await versionOf(alone.id)).not.toBe(afterInsert[0]);
  });

  it('versions stay exact as JavaScript numbers (no 64-bit values)', async () => {
    await createUser();
    const { version } = (await env.DB.prepare('select version from directory').first<{ version: number }>())!;
    expect(Number.isSafeInteger(version)).toBe(true);
    const { results } = await env.DB.prepare('select directory_version as v from groups').all<{ v: number }>();
    expect(results.every((r) => Number.isSafeInteger(r.v))).toBe(true);
  });
});
