/**
 * D1 round trips of every authenticated route, as a caller who may use it:
 * a read is one trip (the session check rides in the handler's batch), a
 * write at most two (the check with the facts the write decides on, then
 * the write batch); and which copy of D1 it starts on. The routes are
 * the access table's (test/helpers/
 * access-table.ts), so a new route is counted here as soon as it is there.
 */
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app';
import { authRows, type World } from './helpers/access-table';
import { adminToken, call, groupWith, json, type TestUser } from './helpers/api';
import { channelFixture } from './helpers/channels';
import { countedRequests } from './helpers/d1-counter';
import { createEvent, dayIn } from './helpers/events';
import { enableTwoFactor } from './helpers/totp';

const app = createApp();
const send = countedRequests(app);

/** Sample requests the route refuses for their input (a made-up code, a wrong password): counted all the same. */
const REFUSED_INPUT = new Set([
  'POST /api/auth/2fa/activate',
  'POST /api/auth/2fa/disable',
  'DELETE /api/user/absences/{id}',
  // An unknown offer, swap partner or request (404): real ones are counted in test/events/handovers.test.ts and swaps.test.ts.
  'POST /api/handovers/{id}/take',
  'DELETE /api/handovers/{id}',
  'POST /api/events/{id}/swap',
  'POST /api/swaps/{id}/accept',
  'POST /api/swaps/{id}/decline',
]);
/** Routes for an admin of the group (here a global admin), besides the /api/admin ones. */
const ADMIN_ROUTES = new Set([
  'PUT /api/groups/{id}/schedule',
  'POST /api/groups/{id}/cake-days/{date}/assignment',
  'DELETE /api/assignments/{id}',
]);
/** Routes only the baker of the world's events may use. */
const BAKER_ROUTES = new Set([
  'DELETE /api/events/{id}',
  'PATCH /api/events/{id}',
  'POST /api/events/{id}/handover',
  'POST /api/events/{id}/swap',
]);
/** A read that issues what is missing on first use (the calendar-feed URL): a write then, a read after. */
const WRITES_ON_FIRST_USE = new Set(['GET /api/user/calendar']);
/** The reads whose route declares `authenticate({ primary: true })`; every other read starts on a replica. */
const PRIMARY_READS = new Set(['GET /api/user', 'GET /api/admin/users', 'GET /api/admin/groups']);
/** An open stream answers as long as it lasts: its session checks are counted in test/live. */
const NOT_COUNTED = new Set(['GET /api/events/stream']);

/**
 * The world of one route's request. Only the assignment routes get a schedule and an assignment: the admin's
 * per-minute budgets (schedule, assignments) would run out over every route of the table.
 */
async function freshWorld(route: string): Promise<{ world: World; member: TestUser }> {
  const { group, users } = await groupWith(2);
  const [baker, member] = users as [TestUser, TestUser];
  const past = (await createEvent(baker, { date: dayIn(-1) })).id;
  const upcoming = (await createEvent(baker, { date: dayIn(3) })).id;
  // For the assignment routes: a cake every day, and the member asked for one of them.
  let assignment: string | undefined;
  if (route.includes('assignment')) {
    const admin = await adminToken();
    const schedule = { rule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU', startDate: dayIn(0) };
    await json(call('PUT', `/api/groups/${group.id}/schedule`, { token: admin, body: schedule }), 200);
    const path = `/api/groups/${group.id}/cake-days/${dayIn(2)}/assignment`;
    assignment = (await json(call('POST', path, { token: admin, body: { userId: member.id } }), 201)).id;
  }
  const tokens = {} as World['tokens'];
  const channel = await channelFixture(group.id);
  return { world: { group, baker, past, upcoming, assignment, channel, tokens }, member };
}

describe('D1 round trips of every authenticated route', () => {
  const rows = authRows.filter((row) => !NOT_COUNTED.has(row.route));

  it.each(rows)('$route: one for a read, two at most for a write', async ({ route, request }) => {
    const [method] = route.split(' ') as [string];
    const { world, member } = await freshWorld(route);
    if (route === 'POST /api/admin/users/{id}/reset-2fa') await enableTwoFactor(world.baker.token);
    const token =
      route.includes('/api/admin/') || ADMIN_ROUTES.has(route) || route.includes('channels')
        ? await adminToken()
        : BAKER_ROUTES.has(route)
          ? world.baker.token
          : member.token;
    const { path, ...body } = request(world);
    const outcome = await send(method, path, { token, ...body });
    expect(outcome.status, outcome.text).toBeLessThan(REFUSED_INPUT.has(route) ? 500 : 400);
    const isRead = method === 'GET' && !WRITES_ON_FIRST_USE.has(route);
    expect(outcome.trips, `${route}: ${outcome.sql.join('\n')}`).toBeLessThanOrEqual(isRead ? 1 : 2);
    if (WRITES_ON_FIRST_USE.has(route)) expect((await send(method, path, { token, ...body })).trips, `${route} again`).toBe(1);
    // Which copy of D1 it reads: writes and the declared reads the primary, other reads any replica.
    const copy = method !== 'GET' || PRIMARY_READS.has(route) ? 'first-primary' : 'first-unconstrained';
    expect(outcome.sessions, route).toEqual([copy]);
  });
});
