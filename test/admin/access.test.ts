/**
 * Every admin route × every kind of caller. G is the group the target lives
 * in; "groupAdmin" administers G, "otherGroupAdmin" administers H only.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addMember, adminToken, call, createGroup, createUser } from '../helpers/api';
import { CALLER_KINDS, memberOf, organisation, type CallerKind, type Organisation } from '../helpers/admin';

interface Row {
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

const rows: Row[] = [
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
    route: 'POST /api/admin/groups/set-role',
    request: async (org) => ({
      method: 'POST',
      path: '/api/admin/groups/set-role',
      body: { userId: (await memberOf(org.g.id)).id, groupId: org.g.id, role: 'admin' },
    }),
    expected: globalOnly(200),
  },
];

/** Authorization before existence: unknown ids give 403 to whoever may not use the route at all. */
const unknownIdRows: Row[] = [
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
const badInputRows: Row[] = [
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
 * One organisation for all cases (one per case would multiply the file's run
 * time). No case changes its users' groups, roles or tokens: a case makes
 * targets of its own (at most new members of G), and one that needs the
 * callers in another group brings its own organisation. The global admin is
 * the bootstrapped one, restored and asked for afresh for every case.
 */
let org: Organisation;
beforeAll(async () => {
  org = await organisation();
});
beforeEach(async () => {
  org.tokens.globalAdmin = await adminToken();
});

for (const [title, table] of [
  ['admin routes × callers', rows],
  ['unknown ids × callers', unknownIdRows],
  ['malformed input × callers', badInputRows],
] as const) {
  describe(title, () => {
    const cases = table.flatMap((row) => CALLER_KINDS.map((kind) => ({ ...row, kind, status: row.expected[kind] })));
    it.each(cases)('$route as $kind → $status', async ({ request, kind, status }) => {
      const { method, path, body, tokens = org.tokens } = await request(org);
      const res = await call(method, path, { token: tokens[kind], body });
      const text = await res.text();
      expect(res.status, text).toBe(status);
      if (status >= 400) {
        expect(res.headers.get('content-type')).toContain('application/problem+json');
      } else {
        expect(res.headers.get('content-type')).toContain('application/json');
        expect(() => JSON.parse(text)).not.toThrow();
      }
    });
  });
}

describe('OpenAPI document', () => {
  it('documents every admin route with bearer auth and its problem responses', async () => {
    const doc = await (await call('GET', '/api/openapi.json')).json<any>();
    const expected: [string, string, string[]][] = [
      ['get', '/api/admin/users', ['200', '401', '403']],
      ['put', '/api/admin/users/{id}/status', ['200', '400', '401', '403', '404', '409']],
      ['delete', '/api/admin/users/{id}', ['200', '401', '403', '404', '409']],
      ['post', '/api/admin/users/assign-group', ['200', '400', '401', '403', '404']],
      ['post', '/api/admin/users/force-password-change', ['200', '400', '401', '403', '404']],
      ['get', '/api/admin/groups', ['200', '401', '403']],
      ['post', '/api/admin/groups', ['201', '400', '401', '403', '409']],
      ['delete', '/api/admin/groups/{id}', ['200', '401', '403', '404']],
      ['delete', '/api/admin/groups/{id}/members/{userId}', ['200', '401', '403', '404']],
      ['post', '/api/admin/groups/set-role', ['200', '400', '401', '403', '404']],
    ];
    for (const [method, path, statuses] of expected) {
      const op = doc.paths[path]?.[method];
      expect(op, `${method} ${path}`).toBeDefined();
      expect(op.tags).toEqual(['Admin']);
      expect(op.security).toEqual([{ bearerAuth: [] }]);
      expect(Object.keys(op.responses).sort()).toEqual(statuses);
    }
  });
});
