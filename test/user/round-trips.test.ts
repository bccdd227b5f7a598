/**
 * D1 round trips of the user's own write endpoints: at most two, the token
 * check included (it rides with the facts the write decides on).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { adminToken, groupWith } from '../helpers/api';
import { countedRequests } from '../helpers/d1-counter';
import { createEvent, dayIn } from '../helpers/events';

const app = createApp();
const send = countedRequests(app);

beforeAll(async () => {
  await adminToken();
  await send('GET', '/api/system/healthcheck'); // the app's one-time admin bootstrap
});

describe('D1 round trips of the own-account writes', () => {
  it('settings, calendar rotation, password change: two at most', async () => {
    const {
      users: [u],
    } = await groupWith(1);
    const cases = [
      ['POST', '/api/user/settings', { token: u!.token, body: { language: 'de' } }, 200],
      ['POST', '/api/user/calendar/rotate', { token: u!.token }, 200],
      [
        'POST',
        '/api/user/change-password',
        { token: u!.token, body: { currentPassword: u!.password, newPassword: 'Another-Cake-Secret-9' } },
        200,
      ],
    ] as const;
    for (const [method, path, options, status] of cases) {
      const r = await send(method, path, options);
      expect([path, r.status]).toEqual([path, status]);
      expect(r.trips, path).toBeLessThanOrEqual(2);
    }
  });

  it('deleting the own account: two, with or without a password, upcoming events included', async () => {
    const {
      users: [a, b],
    } = await groupWith(2);
    await createEvent(a!, { date: dayIn(4) });
    const plain = await send('DELETE', '/api/user', { token: a!.token });
    expect([plain.status, plain.trips]).toEqual([200, 2]);
    const checked = await send('DELETE', '/api/user', { token: b!.token, body: { password: b!.password } });
    expect([checked.status, checked.trips]).toEqual([200, 2]);
  });
});
