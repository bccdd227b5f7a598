/**
 * User list pages asked for again (src/users/remembered-pages.ts): answered
 * as before in one round trip without reading the users again while nothing
 * they show changed; afresh as soon as something did; and never past the
 * session check or to another caller.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { addMember, adminToken, call, createUser, groupWith, json, login } from '../helpers/api';
import { countedRequests, pageReader } from '../helpers/d1-counter';
import { makeGlobalAdmin } from '../helpers/admin';

const app = createApp();
const send = countedRequests(app);

beforeAll(async () => {
  await adminToken();
  await send('GET', '/api/system/healthcheck'); // the app's one-time admin bootstrap
});

const read = pageReader(send);


describe('happy', () => {
  it('a page asked again: the same body and Link, one trip, no list read', async () => {
    const { users: [me] } = await groupWith(3);
    for (const path of ['/api/users', '/api/users?limit=2']) {
      const first = await read(path, me!.token);
      const again = await read(path, me!.token);
      expect(again.text).toBe(first.text);
      expect(again.res.headers.get('Link')).toBe(first.res.headers.get('Link'));
      expect(again.res.headers.get('Content-Type')).toBe(first.res.headers.get('Content-Type'));
      // The session check and the version read: the users are not read again.
      expect([first.trips, first.statements, again.trips, again.statements]).toEqual([1, 3, 1, 2]);
    }
    const admin = await adminToken();
    const first = await read('/api/admin/users?limit=5', admin);
    const again = await read('/api/admin/users?limit=5', admin);
    expect([again.text, again.trips, again.statements]).toEqual([first.text, 1, 2]);
  });

  it('a member’s page after a change in their group shows it', async () => {
    const { group, users: [me, other] } = await groupWith(2);
    const admin = await adminToken();
    await read('/api/users', me!.token);
    await read('/api/users', me!.token);

    const newcomer = await createUser();
    await addMember(newcomer.id, group.id);
    const joined = await read('/api/users', me!.token);
    expect(joined.body.map((u) => u.id)).toContain(newcomer.id);
    expect(joined.trips).toBe(2);

    await json(call('POST', '/api/admin/groups/set-role', { token: admin, body: { userId: me!.id, groupId: group.id, role: 'admin' } }), 200);
    const promoted = await read('/api/users', me!.token);
    expect(promoted.body.find((u) => u.id === other!.id)).toMatchObject({ email: other!.email, groups: [{ id: group.id, role: 'member' }] });

    await json(call('DELETE', `/api/admin/groups/${group.id}/members/${other!.id}`, { token: admin }), 200);
    expect((await read('/api/users', me!.token)).body.map((u) => u.id)).not.toContain(other!.id);

    await json(call('DELETE', `/api/admin/users/${newcomer.id}`, { token: admin }), 200);
    expect((await read('/api/users', me!.token)).body.map((u) => u.id)).not.toContain(newcomer.id);
  });

  it('an admin’s page after a sign-in, a deactivation, a setting or a forced password change shows it', async () => {
    const { group, users: [groupAdmin, member] } = await groupWith(2);
    await json(call('POST', '/api/admin/groups/set-role', { token: await adminToken(), body: { userId: groupAdmin!.id, groupId: group.id, role: 'admin' } }), 200);
    const globalAdmin = await createUser();
    await makeGlobalAdmin(globalAdmin.id);
    const admin = (await login(globalAdmin.email, globalAdmin.password)).token;
    const path = `/api/admin/users?limit=1000`;
    const seen = async (token: string) => (await read(path, token)).body.find((u) => u.id === member!.id);
    const groupAdminToken = (await login(groupAdmin!.email, groupAdmin!.password)).token;
    const before = [await seen(admin), await seen(groupAdminToken)];

    await login(member!.email, member!.password);
    const signedIn = [await seen(admin), await seen(groupAdminToken)];
    expect(signedIn[0].lastLoginAt).not.toBe(before[0].lastLoginAt);
    expect(signedIn[1].lastLoginAt).not.toBe(before[1].lastLoginAt);

    await json(call('POST', '/api/user/settings', { token: member!.token, body: { language: 'de' } }), 200);
    expect([(await seen(admin)).language, (await seen(groupAdminToken)).language]).toEqual(['de', 'de']);

    await json(call('POST', '/api/admin/users/force-password-change', { token: admin, body: { userId: member!.id, mustChange: true } }), 200);
    expect((await seen(groupAdminToken)).mustChangePassword).toBe(true);

    await json(call('PUT', `/api/admin/users/${member!.id}/status`, { token: admin, body: { isActive: false } }), 200);
    expect([(await seen(admin)).isActive, (await seen(groupAdminToken)).isActive]).toEqual([false, false]);
  });
});

describe('error', () => {
  it('a tampered cursor stays 400 after the page was remembered', async () => {
    const { users: [me] } = await groupWith(3);
    const first = await read('/api/users?limit=1', me!.token);
    const next = /<([^>]+)>; rel="next"/.exec(first.res.headers.get('Link')!)![1]!;
    const url = new URL(next);
    await read(url.pathname + url.search, me!.token);
    const tampered = `/api/users?limit=1&cursor=${url.searchParams.get('cursor')!.replace(/^./, (ch) => (ch === 'A' ? 'B' : 'A'))}`;
    expect((await send('GET', tampered, { token: me!.token })).status).toBe(400);
  });
});

describe('security', () => {
  it('a remembered page passes the whole session check: revoked, deactivated, demoted', async () => {
    const admin = await adminToken();
    const { group, users: [member, groupAdmin, leaver] } = await groupWith(3);
    await json(call('POST', '/api/admin/groups/set-role', { token: admin, body: { userId: groupAdmin!.id, groupId: group.id, role: 'admin' } }), 200);
    const groupAdminToken = (await login(groupAdmin!.email, groupAdmin!.password)).token;
    await read('/api/admin/users', groupAdminToken);
    await read('/api/users', member!.token);
    await read('/api/users', leaver!.token);

    await json(call('POST', '/api/admin/groups/set-role', { token: admin, body: { userId: groupAdmin!.id, groupId: group.id, role: 'member' } }), 200);
    expect((await send('GET', '/api/admin/users', { token: groupAdminToken })).status).toBe(403);

    await json(call('PUT', `/api/admin/users/${member!.id}/status`, { token: admin, body: { isActive: false } }), 200);
    expect((await send('GET', '/api/users', { token: member!.token })).status).toBe(401);

    // A password change from another session ends every other session of the account.
    const second = (await login(leaver!.email, leaver!.password)).token;
    await json(call('POST', '/api/user/change-password', { token: second, body: { currentPassword: leaver!.password, newPassword: 'Another-Cake-Secret-9' } }), 200);
    expect((await send('GET', '/api/users', { token: leaver!.token })).status).toBe(401);
  });

  it('a page remembered for one caller is never another’s', async () => {
    const { group, users: [member] } = await groupWith(2);
    const groupAdmin = await createUser();
    await addMember(groupAdmin.id, group.id, 'admin');
    const { users: [stranger] } = await groupWith(1);
    const forAdmin = await read('/api/users', groupAdmin.token);
    await read('/api/users', groupAdmin.token);
    const forMember = await read('/api/users', member!.token);
    expect(forMember.body.filter((u) => u.email !== undefined).map((u) => u.id)).toEqual([member!.id]);
    expect(forAdmin.body.filter((u) => u.email !== undefined)).toHaveLength(3);
    const forStranger = await read('/api/users', stranger!.token);
    expect(forStranger.body.map((u) => u.id)).toEqual([stranger!.id]);
  });
});
