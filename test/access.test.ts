/**
 * Who gets past the door, as one table: every route behind `authenticate()`
 * (the live stream included: its ticket is one more credential) × every kind of
 * caller that must be refused, with the status, the problem `code` and the
 * content type the client sees; then the admin routes × the admin roles.
 * Resource files do not repeat these cases (test/README.md).
 *
 * Each request is one a valid caller could send (a valid body and query,
 * ids that exist): routes that validate their input before they look the
 * caller up in D1 must refuse the caller, not the input.
 */

import { env } from 'cloudflare:workers';
import jwt from '@tsndr/cloudflare-worker-jwt';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AUDIENCE, ISSUER } from '../src/auth/jwt';
import type { ErrorCode } from '../src/errors';
import { AUTH_KINDS, type AuthKind, authRows, type World } from './helpers/access-table';
import { CALLER_KINDS, type CallerKind, memberOf, type Organisation, organisation } from './helpers/admin';
import { addMember, adminToken, call, createGroup, createUser, groupWith, json, login, type TestUser } from './helpers/api';
import { channelFixture } from './helpers/channels';
import { createEvent, dayIn } from './helpers/events';
import { enableTwoFactor } from './helpers/totp';

// ---------------------------------------------------------------------------
// Every authenticated route × the callers the auth layer refuses
// ---------------------------------------------------------------------------

/** What the auth layer answers each kind, on any route that does not let a pending password change through. */
const REFUSED: Record<AuthKind, { status: number; code: ErrorCode }> = {
  anonymous: { status: 401, code: 'unauthorized' },
  garbageToken: { status: 401, code: 'invalid_token' },
  forgedToken: { status: 401, code: 'invalid_token' },
  expiredToken: { status: 401, code: 'invalid_token' },
  revokedToken: { status: 401, code: 'invalid_token' },
  deactivatedUser: { status: 401, code: 'invalid_token' },
  passwordChangePending: { status: 403, code: 'password_change_required' },
};

/** A session token signed as the Worker would, with other claims or another key. */
async function signed(user: TestUser, options: { secret?: string; expiredSecondsAgo?: number }): Promise<string> {
  const row = await env.DB.prepare('select token_version as tv from users where id = ?').bind(user.id).first<{ tv: number }>();
  const now = Math.floor(Date.now() / 1000);
  const exp = options.expiredSecondsAgo === undefined ? now + 3600 : now - options.expiredSecondsAgo;
  const claims = {
    sub: user.id,
    tv: row!.tv,
    auth_time: now,
    iss: ISSUER,
    aud: AUDIENCE,
    iat: exp - 3600,
    exp,
    jti: crypto.randomUUID(),
  };
  return jwt.sign(claims, options.secret ?? env.JWT_SECRET, { algorithm: 'HS256' });
}

/** A member of the group whose password change is pending: forced by an admin, then signed in again. */
async function pendingCaller(groupId: string): Promise<string> {
  const user = await memberOf(groupId);
  const body = { userId: user.id, mustChange: true };
  await json(call('POST', '/api/admin/users/force-password-change', { token: await adminToken(), body }), 200);
  const session = await login(user.email, user.password);
  expect(session.user.mustChangePassword).toBe(true);
  return session.token;
}

let world: World;
beforeAll(async () => {
  const { group, users } = await groupWith(1);
  const baker = users[0]!;
  const past = (await createEvent(baker, { date: dayIn(-1) })).id;
  const upcoming = (await createEvent(baker, { date: dayIn(3) })).id;

  // Revoked: a session of a user who then changed the password in another session.
  const revoked = await memberOf(group.id);
  const other = await login(revoked.email, revoked.password);
  await json(
    call('POST', '/api/user/change-password', { token: other.token, body: { newPassword: 'Changed-Cake-Pass-4' } }),
    200,
  );

  const deactivated = await memberOf(group.id);
  await json(
    call('PUT', `/api/admin/users/${deactivated.id}/status`, { token: await adminToken(), body: { isActive: false } }),
    200,
  );

  world = {
    group,
    baker,
    past,
    upcoming,
    channel: await channelFixture(group.id),
    tokens: {
      anonymous: undefined,
      garbageToken: 'garbage',
      forgedToken: await signed(baker, { secret: 'another-secret-than-the-workers-0123456789' }),
      expiredToken: await signed(baker, { expiredSecondsAgo: 60 }),
      revokedToken: revoked.token,
      deactivatedUser: deactivated.token,
      passwordChangePending: await pendingCaller(group.id),
    },
  };
});

/** The response's problem body, after checking that it is one: status, content type and code. */
async function expectRefusal(res: Response, status: number, code: string) {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  const problem = JSON.parse(text);
  expect(problem).toMatchObject({
    status,
    code,
    type: expect.any(String),
    title: expect.any(String),
    detail: expect.any(String),
  });
  // RFC 9110: a 401 names the scheme that would be accepted.
  if (status === 401) expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
  return problem;
}

describe('every authenticated route × callers the auth layer refuses', () => {
  const cases = authRows.flatMap((row) =>
    AUTH_KINDS.map((kind) => {
      const open = kind === 'passwordChangePending' && row.whilePasswordChangePending !== undefined;
      return {
        ...row,
        kind,
        status: open ? row.whilePasswordChangePending! : REFUSED[kind].status,
        code: open ? null : REFUSED[kind].code,
      };
    }),
  );

  it.each(cases)('$route as $kind → $status $code', async ({ route, request, kind, status, code, ownPendingCaller }) => {
    const [method] = route.split(' ') as [string];
    const token = kind === 'passwordChangePending' && ownPendingCaller ? await pendingCaller(world.group.id) : world.tokens[kind];
    const { path, ...body } = request(world);
    const res = await call(method, path, { token, ...body });
    if (code) {
      await expectRefusal(res, status, code);
    } else {
      const text = await res.text();
      expect(res.status, text).toBe(status);
      expect(res.headers.get('content-type')).toContain('application/json');
    }
  });

  it('the pending caller is one: its profile shows the pending change', async () => {
    const me = await json(call('GET', '/api/user', { token: world.tokens.passwordChangePending }), 200);
    expect(me.mustChangePassword).toBe(true);
  });

  it('covers every operation the OpenAPI document secures with bearerAuth', async () => {
    const doc = await json(call('GET', '/api/openapi.json'), 200);
    const secured = Object.entries(doc.paths as Record<string, Record<string, { security?: object[] }>>).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([, op]) => (op.security ?? []).some((s) => 'bearerAuth' in s))
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    expect(authRows.map((r) => r.route).sort()).toEqual(secured.sort());
  });
});

// ---------------------------------------------------------------------------
// The admin routes × the admin roles (G is the group the target lives in;
// "groupAdmin" administers G, "otherGroupAdmin" administers H only)
// ---------------------------------------------------------------------------

/** The problem code of each refusal in the admin tables. */
const CODE_OF: Record<number, ErrorCode> = { 400: 'validation_failed', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found' };

interface AdminRow {
  route: string;
  /** The request; `tokens` when the case calls as the users of an organisation of its own. */
  request: (org: Organisation) => Promise<{ method: string; path: string; body?: unknown; tokens?: Organisation['tokens'] }>;
  expected: Record<CallerKind, number>;
}

const globalOnly = (success: number) => ({
  globalAdmin: success,
  groupAdmin: 403,
  otherGroupAdmin: 403,
  member: 403,
  anonymous: 401,
});

const adminRows: AdminRow[] = [
  {
    route: 'GET /api/admin/dead-letters',
    request: async () => ({ method: 'GET', path: '/api/admin/dead-letters' }),
    expected: globalOnly(200),
  },
  {
    route: 'GET /api/admin/users',
    request: async () => ({ method: 'GET', path: '/api/admin/users' }),
    expected: { globalAdmin: 200, groupAdmin: 200, otherGroupAdmin: 200, member: 403, anonymous: 401 },
  },
  {
    route: 'GET /api/admin/groups',
    request: async () => ({ method: 'GET', path: '/api/admin/groups' }),
    expected: { globalAdmin: 200, groupAdmin: 200, otherGroupAdmin: 200, member: 403, anonymous: 401 },
  },
  {
    route: 'PUT /api/admin/users/{id}/status',
    request: async (org) => ({
      method: 'PUT',
      path: `/api/admin/users/${(await memberOf(org.g.id)).id}/status`,
      body: { isActive: true },
    }),
    expected: globalOnly(200),
  },
  {
    route: 'DELETE /api/admin/users/{id}',
    request: async (org) => ({ method: 'DELETE', path: `/api/admin/users/${(await memberOf(org.g.id)).id}` }),
    expected: globalOnly(200),
  },
  {
    route: 'POST /api/admin/users/assign-group',
    request: async (org) => ({
      method: 'POST',
      path: '/api/admin/users/assign-group',
      body: { userId: (await createUser()).id, groupId: org.g.id },
    }),
    expected: globalOnly(200),
  },
  {
    route: 'POST /api/admin/users/force-password-change',
    request: async (org) => ({
      method: 'POST',
      path: '/api/admin/users/force-password-change',
      body: { userId: (await memberOf(org.g.id)).id, mustChange: true },
    }),
    expected: { globalAdmin: 200, groupAdmin: 200, otherGroupAdmin: 404, member: 403, anonymous: 401 },
  },
  {
    route: 'POST /api/admin/users/{id}/reset-2fa',
    request: async (org) => {
      const target = await memberOf(org.g.id);
      await enableTwoFactor(target.token);
      return { method: 'POST', path: `/api/admin/users/${target.id}/reset-2fa` };
    },
    expected: globalOnly(200),
  },
  {
    route: 'POST /api/admin/groups',
    request: async () => ({ method: 'POST', path: '/api/admin/groups', body: { name: `Access ${crypto.randomUUID()}` } }),
    expected: globalOnly(201),
  },
  {
    route: 'DELETE /api/admin/groups/{id}',
    request: async () => ({ method: 'DELETE', path: `/api/admin/groups/${(await createGroup()).id}` }),
    expected: globalOnly(200),
  },
  {
    route: 'DELETE /api/admin/groups/{id} (a group the group admin administers)',
    request: async () => {
      // Its own organisation: the shared one's users keep the groups and roles they started with.
      const own = await organisation();
      const group = await createGroup();
      await addMember(own.groupAdmin.id, group.id, 'admin');
      await addMember(own.member.id, group.id);
      return { method: 'DELETE', path: `/api/admin/groups/${group.id}`, tokens: own.tokens };
    },
    expected: globalOnly(200),
  },
  {
    route: 'DELETE /api/admin/groups/{id}/members/{userId}',
    request: async (org) => ({
      method: 'DELETE',
      path: `/api/admin/groups/${org.g.id}/members/${(await memberOf(org.g.id)).id}`,
    }),
    expected: { globalAdmin: 200, groupAdmin: 200, otherGroupAdmin: 403, member: 403, anonymous: 401 },
  },
  {
    route: 'PATCH /api/admin/groups/{id}',
    request: async (org) => ({
      method: 'PATCH',
      path: `/api/admin/groups/${org.g.id}`,
      body: { description: 'Cake every Friday' },
    }),
    // A group admin of another group does not see G: 404, as for an unknown id.
    expected: { globalAdmin: 200, groupAdmin: 200, otherGroupAdmin: 404, member: 403, anonymous: 401 },
  },
  {
    route: 'POST /api/admin/groups/set-role',
    request: async (org) => ({
      method: 'POST',
      path: '/api/admin/groups/set-role',
      body: { userId: (await memberOf(org.g.id)).id, groupId: org.g.id, role: 'admin' },
    }),
    expected: globalOnly(200),
  },
  // Channels: the group's admins and global admins; a member of G 403, another group's admin 404.
  {
    route: 'GET /api/groups/{id}/channels',
    request: async (org) => ({ method: 'GET', path: `/api/groups/${org.g.id}/channels` }),
    expected: { globalAdmin: 200, groupAdmin: 200, otherGroupAdmin: 404, member: 403, anonymous: 401 },
  },
  {
    route: 'PATCH /api/channels/{id}',
    request: async (org) => ({
      method: 'PATCH',
      path: `/api/channels/${(await channelFixture(org.g.id)).id}`,
      body: { name: 'Bakery' },
    }),
    expected: { globalAdmin: 200, groupAdmin: 200, otherGroupAdmin: 404, member: 403, anonymous: 401 },
  },
];

/** Authorization before existence: unknown ids give 403 to whoever may not use the route at all. */
const unknownIdRows: AdminRow[] = [
  {
    route: 'DELETE /api/admin/users/{unknown}',
    request: async () => ({ method: 'DELETE', path: '/api/admin/users/no-such-user' }),
    expected: globalOnly(404),
  },
  {
    route: 'PUT /api/admin/users/{unknown}/status',
    request: async () => ({ method: 'PUT', path: '/api/admin/users/no-such-user/status', body: { isActive: false } }),
    expected: globalOnly(404),
  },
  {
    route: 'DELETE /api/admin/groups/{unknown}',
    request: async () => ({ method: 'DELETE', path: '/api/admin/groups/no-such-group' }),
    expected: globalOnly(404),
  },
  {
    route: 'DELETE /api/admin/groups/{unknown}/members/{unknown}',
    request: async () => ({ method: 'DELETE', path: '/api/admin/groups/no-such-group/members/no-such-user' }),
    expected: globalOnly(404),
  },
  {
    route: 'POST /api/admin/users/assign-group (unknown user)',
    request: async (org) => ({
      method: 'POST',
      path: '/api/admin/users/assign-group',
      body: { userId: 'no-such-user', groupId: org.g.id },
    }),
    expected: globalOnly(404),
  },
  {
    route: 'POST /api/admin/users/assign-group (unknown group)',
    request: async (org) => ({
      method: 'POST',
      path: '/api/admin/users/assign-group',
      body: { userId: org.member.id, groupId: 'no-such-group' },
    }),
    expected: globalOnly(404),
  },
  {
    route: 'POST /api/admin/groups/set-role (unknown user)',
    request: async (org) => ({
      method: 'POST',
      path: '/api/admin/groups/set-role',
      body: { userId: 'no-such-user', groupId: org.g.id, role: 'member' },
    }),
    expected: globalOnly(404),
  },
  {
    route: 'POST /api/admin/users/force-password-change (unknown user)',
    request: async () => ({
      method: 'POST',
      path: '/api/admin/users/force-password-change',
      body: { userId: 'no-such-user', mustChange: true },
    }),
    expected: { globalAdmin: 404, groupAdmin: 404, otherGroupAdmin: 404, member: 403, anonymous: 401 },
  },
];

/** Refusal comes before validation: who may not use a route learns nothing about its input rules. */
const badInputRows: AdminRow[] = [
  {
    route: 'PUT /api/admin/users/{id}/status (bad body)',
    request: async (org) => ({ method: 'PUT', path: `/api/admin/users/${org.member.id}/status`, body: { isActive: 'no' } }),
    expected: globalOnly(400),
  },
  {
    route: 'POST /api/admin/groups (bad body)',
    request: async () => ({ method: 'POST', path: '/api/admin/groups', body: { name: '' } }),
    expected: globalOnly(400),
  },
  {
    route: 'POST /api/admin/users/assign-group (bad body)',
    request: async () => ({ method: 'POST', path: '/api/admin/users/assign-group', body: { userId: 42 } }),
    expected: globalOnly(400),
  },
  {
    route: 'POST /api/admin/groups/set-role (bad body)',
    request: async () => ({ method: 'POST', path: '/api/admin/groups/set-role', body: { role: 'owner' } }),
    expected: globalOnly(400),
  },
  {
    route: 'POST /api/admin/users/force-password-change (bad body)',
    request: async () => ({ method: 'POST', path: '/api/admin/users/force-password-change', body: { mustChange: 'yes' } }),
    expected: { globalAdmin: 400, groupAdmin: 400, otherGroupAdmin: 400, member: 403, anonymous: 401 },
  },
];

/*
 * One organisation for all admin cases (one per case would multiply the
 * file's run time). No case changes its users' groups, roles or tokens: a
 * case makes targets of its own (at most new members of G), and one that
 * needs the callers in another group brings its own organisation. The global
 * admin is the bootstrapped one, restored and asked for afresh for every case.
 */
let org: Organisation;
beforeAll(async () => {
  org = await organisation();
});
beforeEach(async () => {
  org.tokens.globalAdmin = await adminToken();
});

for (const [title, table] of [
  ['admin routes × callers', adminRows],
  ['unknown ids × callers', unknownIdRows],
  ['malformed input × callers', badInputRows],
] as const) {
  describe(title, () => {
    const cases = table.flatMap((row) => CALLER_KINDS.map((kind) => ({ ...row, kind, status: row.expected[kind] })));
    it.each(cases)('$route as $kind → $status', async ({ request, kind, status }) => {
      const { method, path, body, tokens = org.tokens } = await request(org);
      const res = await call(method, path, { token: tokens[kind], body });
      if (status >= 400) {
        await expectRefusal(res, status, CODE_OF[status]!);
      } else {
        const text = await res.text();
        expect(res.status, text).toBe(status);
        expect(res.headers.get('content-type')).toContain('application/json');
        expect(() => JSON.parse(text)).not.toThrow();
      }
    });
  });
}

describe('the table itself', () => {
  it('names every admin route of the auth table among its admin rows', () => {
    const adminRoutes = authRows.map((r) => r.route).filter((r) => r.includes('/api/admin/'));
    const covered = new Set(adminRows.map((r) => r.route.replace(/ \(.*\)$/, '')));
    expect(adminRoutes.filter((r) => !covered.has(r))).toEqual([]);
  });

  it('refuses the forged and the expired token for their key and their time only: signed with the Worker’s key, unexpired, the same claims pass', async () => {
    expect((await json(call('GET', '/api/user', { token: await signed(world.baker, {}) }), 200)).id).toBe(world.baker.id);
  });
});
