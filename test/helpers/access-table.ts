/**
 * Every route behind `authenticate()`, with a request a valid caller could
 * send (a valid body and query, ids of the world's group and events): the
 * table test/access.test.ts refuses every kind of caller on, and
 * test/round-trips.test.ts counts the D1 round trips of as a valid caller.
 */
import type { CallOptions, TestUser } from './api';
import { dayIn, photoForm, pngFile } from './events';

export const AUTH_KINDS = [
  'anonymous',
  'garbageToken',
  'forgedToken',
  'expiredToken',
  'revokedToken',
  'deactivatedUser',
  'passwordChangePending',
] as const;
export type AuthKind = (typeof AUTH_KINDS)[number];

/** The world the requests are made in: group K with a baker and its events, and a caller of each kind. */
export interface World {
  group: { id: string; name: string };
  baker: TestUser;
  /** A past and an upcoming event of K, baked by `baker`. */
  past: string;
  upcoming: string;
  /** A pending assignment of K's member (the round-trips world has one; the access table's refusals need none). */
  assignment?: string;
  /** A Slack channel of K with one dead delivery (test/helpers/channels.ts `channelFixture`). */
  channel: { id: string; delivery: string };
  tokens: Record<AuthKind, string | undefined>;
}

export interface AuthRow {
  route: string;
  request: (w: World) => { path: string } & Pick<CallOptions, 'body' | 'form'>;
  /** The answer to a caller whose password change is pending, on the routes that stay open to it. */
  whilePasswordChangePending?: number;
  /** The pending caller changes state here (its password): it gets a caller of its own. */
  ownPendingCaller?: boolean;
}

const range = `start=${dayIn(-10)}&end=${dayIn(10)}`;

export const authRows: AuthRow[] = [
  // Events
  { route: 'GET /api/events', request: () => ({ path: `/api/events?${range}` }) },
  { route: 'POST /api/events', request: () => ({ path: '/api/events', body: { date: dayIn(5) } }) },
  { route: 'GET /api/events/ranked', request: () => ({ path: '/api/events/ranked' }) },
  { route: 'GET /api/events/{id}', request: (w) => ({ path: `/api/events/${w.past}` }) },
  { route: 'DELETE /api/events/{id}', request: (w) => ({ path: `/api/events/${w.upcoming}` }) },
  {
    route: 'PATCH /api/events/{id}',
    request: (w) => ({ path: `/api/events/${w.upcoming}`, body: { description: 'Now with plums', allergens: ['gluten'] } }),
  },
  { route: 'POST /api/events/{id}/rate', request: (w) => ({ path: `/api/events/${w.past}/rate`, body: { stars: 5 } }) },
  { route: 'GET /api/events/{id}/ics', request: (w) => ({ path: `/api/events/${w.past}/ics` }) },
  { route: 'POST /api/events/{id}/photo', request: (w) => ({ path: `/api/events/${w.past}/photo`, form: photoForm(pngFile()) }) },
  { route: 'POST /api/events/stream/ticket', request: () => ({ path: '/api/events/stream/ticket' }) },
  { route: 'GET /api/events/stream', request: () => ({ path: '/api/events/stream' }) },
  // The own account
  { route: 'GET /api/user', request: () => ({ path: '/api/user' }), whilePasswordChangePending: 200 },
  { route: 'GET /api/users', request: () => ({ path: '/api/users' }) },
  { route: 'GET /api/user/groups', request: () => ({ path: '/api/user/groups' }) },
  {
    route: 'POST /api/user/change-password',
    request: () => ({ path: '/api/user/change-password', body: { newPassword: 'Fresh-Cake-Pass-9' } }),
    whilePasswordChangePending: 200,
    ownPendingCaller: true,
  },
  { route: 'POST /api/user/settings', request: () => ({ path: '/api/user/settings', body: { language: 'de' } }) },
  { route: 'DELETE /api/user', request: () => ({ path: '/api/user' }) },
  { route: 'GET /api/user/calendar', request: () => ({ path: '/api/user/calendar' }) },
  { route: 'POST /api/user/calendar/rotate', request: () => ({ path: '/api/user/calendar/rotate' }) },
  // Two-factor authentication
  { route: 'POST /api/auth/2fa/setup', request: () => ({ path: '/api/auth/2fa/setup' }) },
  { route: 'POST /api/auth/2fa/activate', request: () => ({ path: '/api/auth/2fa/activate', body: { code: '123456' } }) },
  {
    route: 'POST /api/auth/2fa/disable',
    request: () => ({ path: '/api/auth/2fa/disable', body: { password: 'Wrong-Password-1' } }),
  },
  // Planning
  { route: 'GET /api/groups/{id}/schedule', request: (w) => ({ path: `/api/groups/${w.group.id}/schedule` }) },
  {
    route: 'PUT /api/groups/{id}/schedule',
    request: (w) => ({ path: `/api/groups/${w.group.id}/schedule`, body: { rule: 'FREQ=WEEKLY;BYDAY=FR' } }),
  },
  {
    route: 'GET /api/groups/{id}/cake-days',
    request: (w) => ({ path: `/api/groups/${w.group.id}/cake-days?from=${dayIn(0)}&to=${dayIn(30)}` }),
  },
  { route: 'GET /api/groups/{id}/rotation', request: (w) => ({ path: `/api/groups/${w.group.id}/rotation` }) },
  { route: 'GET /api/user/absences', request: () => ({ path: '/api/user/absences' }) },
  { route: 'POST /api/user/absences', request: () => ({ path: '/api/user/absences', body: { from: dayIn(1), to: dayIn(3) } }) },
  { route: 'DELETE /api/user/absences/{id}', request: () => ({ path: `/api/user/absences/${crypto.randomUUID()}` }) },
  {
    route: 'POST /api/groups/{id}/cake-days/{date}/assignment',
    request: (w) => ({ path: `/api/groups/${w.group.id}/cake-days/${dayIn(4)}/assignment`, body: {} }),
  },
  { route: 'GET /api/user/assignments', request: () => ({ path: '/api/user/assignments' }) },
  {
    route: 'POST /api/assignments/{id}/accept',
    request: (w) => ({ path: `/api/assignments/${w.assignment ?? crypto.randomUUID()}/accept`, body: { description: 'Tarte' } }),
  },
  {
    route: 'POST /api/assignments/{id}/decline',
    request: (w) => ({ path: `/api/assignments/${w.assignment ?? crypto.randomUUID()}/decline`, body: { reason: 'Away' } }),
  },
  {
    route: 'DELETE /api/assignments/{id}',
    request: (w) => ({ path: `/api/assignments/${w.assignment ?? crypto.randomUUID()}` }),
  },
  // Hand-overs and swaps
  {
    route: 'POST /api/events/{id}/handover',
    request: (w) => ({ path: `/api/events/${w.upcoming}/handover`, body: { message: 'Ill that week' } }),
  },
  { route: 'GET /api/groups/{id}/handovers', request: (w) => ({ path: `/api/groups/${w.group.id}/handovers` }) },
  { route: 'POST /api/handovers/{id}/take', request: () => ({ path: `/api/handovers/${crypto.randomUUID()}/take` }) },
  { route: 'DELETE /api/handovers/{id}', request: () => ({ path: `/api/handovers/${crypto.randomUUID()}` }) },
  {
    route: 'POST /api/events/{id}/swap',
    request: (w) => ({ path: `/api/events/${w.upcoming}/swap`, body: { withEventId: crypto.randomUUID() } }),
  },
  { route: 'POST /api/swaps/{id}/accept', request: () => ({ path: `/api/swaps/${crypto.randomUUID()}/accept` }) },
  { route: 'POST /api/swaps/{id}/decline', request: () => ({ path: `/api/swaps/${crypto.randomUUID()}/decline` }) },
  // Channels
  { route: 'GET /api/groups/{id}/channels', request: (w) => ({ path: `/api/groups/${w.group.id}/channels` }) },
  {
    route: 'POST /api/groups/{id}/channels',
    request: (w) => ({
      path: `/api/groups/${w.group.id}/channels`,
      body: { kind: 'slack', url: `https://hooks.slack.com/services/T0/B0/${crypto.randomUUID()}` },
    }),
  },
  { route: 'PATCH /api/channels/{id}', request: (w) => ({ path: `/api/channels/${w.channel.id}`, body: { name: 'Bakery' } }) },
  { route: 'DELETE /api/channels/{id}', request: (w) => ({ path: `/api/channels/${w.channel.id}` }) },
  { route: 'POST /api/channels/{id}/test', request: (w) => ({ path: `/api/channels/${w.channel.id}/test` }) },
  { route: 'GET /api/channels/{id}/deliveries', request: (w) => ({ path: `/api/channels/${w.channel.id}/deliveries` }) },
  {
    route: 'POST /api/channels/{id}/deliveries/{deliveryId}/retry',
    request: (w) => ({ path: `/api/channels/${w.channel.id}/deliveries/${w.channel.delivery}/retry` }),
  },
  // System
  { route: 'GET /api/system/sysinfo', request: () => ({ path: '/api/system/sysinfo' }) },
  // Admin
  { route: 'GET /api/admin/users', request: () => ({ path: '/api/admin/users' }) },
  {
    route: 'PUT /api/admin/users/{id}/status',
    request: (w) => ({ path: `/api/admin/users/${w.baker.id}/status`, body: { isActive: true } }),
  },
  { route: 'DELETE /api/admin/users/{id}', request: (w) => ({ path: `/api/admin/users/${w.baker.id}` }) },
  {
    route: 'POST /api/admin/users/assign-group',
    request: (w) => ({ path: '/api/admin/users/assign-group', body: { userId: w.baker.id, groupId: w.group.id } }),
  },
  {
    route: 'POST /api/admin/users/force-password-change',
    request: (w) => ({ path: '/api/admin/users/force-password-change', body: { userId: w.baker.id, mustChange: true } }),
  },
  { route: 'POST /api/admin/users/{id}/reset-2fa', request: (w) => ({ path: `/api/admin/users/${w.baker.id}/reset-2fa` }) },
  { route: 'GET /api/admin/groups', request: () => ({ path: '/api/admin/groups' }) },
  {
    route: 'POST /api/admin/groups',
    request: () => ({ path: '/api/admin/groups', body: { name: `Access ${crypto.randomUUID()}` } }),
  },
  { route: 'DELETE /api/admin/groups/{id}', request: (w) => ({ path: `/api/admin/groups/${w.group.id}` }) },
  {
    route: 'DELETE /api/admin/groups/{id}/members/{userId}',
    request: (w) => ({ path: `/api/admin/groups/${w.group.id}/members/${w.baker.id}` }),
  },
  {
    route: 'PATCH /api/admin/groups/{id}',
    request: (w) => ({ path: `/api/admin/groups/${w.group.id}`, body: { description: 'Cake every Friday' } }),
  },
  {
    route: 'POST /api/admin/groups/set-role',
    request: (w) => ({ path: '/api/admin/groups/set-role', body: { userId: w.baker.id, groupId: w.group.id, role: 'admin' } }),
  },
  { route: 'GET /api/admin/dead-letters', request: () => ({ path: '/api/admin/dead-letters' }) },
];
