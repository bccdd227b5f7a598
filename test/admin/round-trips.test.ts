/**
 * D1 round trips of the admin write endpoints, success and refusal alike:
 * the token check is one trip, the endpoint's own work one batch (account
 * deletion reads the user's events with the token check: "upcoming" is
 * judged in each group's time zone in JS, before the erasing batch). A
 * caller who may not use the route costs the token check alone: nothing else
 * is written for it, and nothing read that it could learn from.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { memberOf, rootAsLastAdmin } from '../helpers/admin';
import { adminToken, createGroup, createUser } from '../helpers/api';
import { countedRequests } from '../helpers/d1-counter';
import { insertEvent } from '../helpers/events';

const app = createApp();
const send = countedRequests(app);

let admin: string;
beforeEach(async () => {
  admin = await adminToken();
  // The first request of an app may run the one-time admin bootstrap.
  await send('GET', '/api/system/healthcheck', { token: admin });
});

describe('D1 round trips of the admin write endpoints', () => {
  it('PUT /api/admin/users/{id}/status: two, whether it succeeds, finds nobody or meets the last admin', async () => {
    const user = await createUser({ active: false });
    const path = `/api/admin/users/${user.id}/status`;
    expect(await send('PUT', path, { token: admin, body: { isActive: true } })).toMatchObject({ status: 200, trips: 2 });
    expect(await send('PUT', path, { token: admin, body: { isActive: false } })).toMatchObject({ status: 200, trips: 2 });
    expect(await send('PUT', '/api/admin/users/nobody/status', { token: admin, body: { isActive: false } })).toMatchObject({
      status: 404,
      trips: 2,
    });
    const root = `/api/admin/users/${(await rootAsLastAdmin()).id}/status`;
    expect(await send('PUT', root, { token: admin, body: { isActive: false } })).toMatchObject({ status: 409, trips: 2 });
    const member = await memberOf((await createGroup()).id);
    expect(await send('PUT', '/api/admin/users/nobody/status', { token: member.token, body: { isActive: true } })).toMatchObject({
      status: 403,
      trips: 1,
      statements: 1,
    });
  });

  it('POST /api/admin/users/assign-group: two, with a group, with null and for unknown ids', async () => {
    const [group, other] = [await createGroup(), await createGroup()];
    const user = await createUser();
    const member = await memberOf(other.id);
    const path = '/api/admin/users/assign-group';
    expect(await send('POST', path, { token: admin, body: { userId: user.id, groupId: group.id } })).toMatchObject({
      status: 200,
      trips: 2,
    });
    expect(await send('POST', path, { token: admin, body: { userId: user.id, groupId: group.id } })).toMatchObject({
      status: 200,
      trips: 2,
    });
    expect(await send('POST', path, { token: admin, body: { userId: user.id, groupId: null } })).toMatchObject({
      status: 200,
      trips: 2,
    });
    expect(await send('POST', path, { token: admin, body: { userId: 'nobody', groupId: group.id } })).toMatchObject({
      status: 404,
      trips: 2,
    });
    expect(await send('POST', path, { token: admin, body: { userId: user.id, groupId: 'no-such-group' } })).toMatchObject({
      status: 404,
      trips: 2,
    });
    // Refused before anything else is read or written: the token check alone.
    expect(await send('POST', path, { token: member.token, body: { userId: user.id, groupId: group.id } })).toMatchObject({
      status: 403,
      trips: 1,
      statements: 1,
    });
  });

  it('DELETE /api/admin/users/{id}: two with upcoming events or none, one for nobody and for the last admin', async () => {
    const group = await createGroup();
    const baker = await memberOf(group.id);
    await insertEvent({ groupId: group.id, bakerId: baker.id, date: '2999-01-01' });
    expect(await send('DELETE', `/api/admin/users/${baker.id}`, { token: admin })).toMatchObject({ status: 200, trips: 2 });
    const plain = await createUser();
    expect(await send('DELETE', `/api/admin/users/${plain.id}`, { token: admin })).toMatchObject({ status: 200, trips: 2 });
    // Nobody to erase, or the guard refuses: no erasing batch at all.
    expect(await send('DELETE', `/api/admin/users/${plain.id}`, { token: admin })).toMatchObject({ status: 404, trips: 1 });
    expect(await send('DELETE', `/api/admin/users/${(await rootAsLastAdmin()).id}`, { token: admin })).toMatchObject({
      status: 409,
      trips: 1,
    });
    // The erasure's two reads ride along but read nothing for a caller who is not a global admin.
    const member = await memberOf(group.id);
    expect(await send('DELETE', `/api/admin/users/${baker.id}`, { token: member.token })).toMatchObject({
      status: 403,
      trips: 1,
      statements: 3,
    });
  });
});
