/**
 * Test helpers that drive the public API like a client, so tests read like
 * user stories. Each call comes from its own client IP unless `ip` is given,
 * so throttling only bites where a test means it to.
 *
 * Convention (test/README.md): a resource's file has up to three top-level
 * blocks, in this order: describe('happy'), describe('bad input') (refused
 * for what the request asks) and describe('security') (refused for who asks,
 * what another group never sees). The outcomes every authenticated route
 * shares (no, invalid, expired or revoked token, a pending password change,
 * admin roles) are one table in test/access.test.ts. Every helper lives once,
 * under test/helpers/.
 */
import { env, exports } from 'cloudflare:workers';
import { expect } from 'vitest';
import { issueToken } from '../../src/auth/jwt';
import { hashPassword, verifyPassword } from '../../src/auth/password';

export const BASE = 'https://cake.test';

let ipCounter = 0;
export const freshIp = () => `10.${(++ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;

export interface CallOptions {
  token?: string;
  body?: unknown;
  form?: FormData;
  headers?: Record<string, string>;
  ip?: string;
  /** 'manual' to see a redirect itself rather than where it leads. */
  redirect?: 'follow' | 'manual';
}

/** The request a client would send: its own IP, the Bearer token, a JSON (or multipart) body. */
export function apiRequest(method: string, path: string, options: CallOptions = {}): Request {
  const headers = new Headers(options.headers);
  headers.set('CF-Connecting-IP', options.ip ?? freshIp());
  if (options.token) headers.set('Authorization', `Bearer ${options.token}`);
  let body: BodyInit | undefined;
  if (options.form) body = options.form;
  else if (options.body !== undefined) {
    // A string or bytes go as they are (bytes: to send what no string encodes); anything else as JSON.
    body = typeof options.body === 'string' || options.body instanceof Uint8Array ? options.body : JSON.stringify(options.body);
    if (!headers.has('Content-Type')) headers.set('Content-Type', 'application/json');
  }
  return new Request(`${BASE}${path}`, { method, headers, body, redirect: options.redirect });
}

export async function call(method: string, path: string, options: CallOptions = {}): Promise<Response> {
  return exports.default.fetch(apiRequest(method, path, options));
}

/** Calls and returns the parsed JSON body, asserting the status first. */
/** What a one-click page's button sends: a browser's form POST with no fields, so no body, and no session. */
export const FORM_POST = { 'Content-Type': 'application/x-www-form-urlencoded' };

/** Presses the button of the one-click page at `path`. */
export const press = (path: string) => call('POST', path, { headers: FORM_POST });

export async function json<T = any>(res: Response | Promise<Response>, status: number): Promise<T> {
  const r = await res;
  const text = await r.text();
  expect(r.status, `${r.status} ${text}`).toBe(status);
  return (text ? JSON.parse(text) : undefined) as T;
}

export async function expectProblem(res: Response | Promise<Response>, status: number, code?: string) {
  const r = await res;
  const text = await r.text();
  expect(r.status, text).toBe(status);
  expect(r.headers.get('content-type')).toContain('application/problem+json');
  const body = JSON.parse(text);
  expect(body).toMatchObject({ status, type: expect.any(String), title: expect.any(String), detail: expect.any(String) });
  if (code) expect(body.code).toBe(code);
  return body;
}

/** A problem body without its request id (which differs on every answer), to compare two answers. */
export const withoutRequestId = ({ requestId: _, ...rest }: Record<string, unknown>) => rest;

export const ADMIN = { email: 'root@cake.test', password: 'Root-Password-For-Tests-1' };

export async function login(email: string, password: string): Promise<{ token: string; user: any }> {
  return json(call('POST', '/api/auth/login', { body: { email, password } }), 200);
}

let unique = 0;
const uniq = () => `${Date.now().toString(36)}${(++unique).toString(36)}`;

/** A password hash known to match ADMIN.password (checked once, then compared as text). */
let adminHash: string | undefined;

interface RootRow {
  id: string;
  token_version: number;
  is_admin: number;
  is_active: number;
  must_change_password: number;
  password_hash: string;
  totp_secret: string | null;
}

/**
 * The bootstrapped global admin (ADMIN), put back the way the bootstrap made
 * it: present, active, a global admin, no forced password change, no 2FA,
 * ADMIN.password as its password. Tests may deactivate, demote or delete it;
 * whoever relies on it afterwards gets it back. Writes only what differs.
 */
export async function ensureRootAdmin(): Promise<{ id: string; token_version: number }> {
  const row = await env.DB.prepare(
    'select id, token_version, is_admin, is_active, must_change_password, password_hash, totp_secret from users where email = ?',
  )
    .bind(ADMIN.email)
    .first<RootRow>();
  if (!row) {
    adminHash ??= await hashPassword(ADMIN.password);
    await env.DB.prepare(
      "insert into users (id, name, email, password_hash, is_admin, is_active, created_at) values (?, 'Administrator', ?, ?, 1, 1, ?) on conflict (email) do nothing",
    )
      .bind(crypto.randomUUID(), ADMIN.email, adminHash, new Date().toISOString())
      .run();
    return ensureRootAdmin();
  }
  let passwordHash = row.password_hash;
  if (passwordHash !== adminHash) {
    if (!(await verifyPassword(passwordHash, ADMIN.password))) passwordHash = await hashPassword(ADMIN.password);
    adminHash = passwordHash;
  }
  if (
    !row.is_admin ||
    !row.is_active ||
    row.must_change_password ||
    row.totp_secret !== null ||
    passwordHash !== row.password_hash
  ) {
    await env.DB.prepare(
      'update users set is_admin = 1, is_active = 1, must_change_password = 0, totp_secret = null, password_hash = ? where id = ?',
    )
      .bind(passwordHash, row.id)
      .run();
  }
  return { id: row.id, token_version: row.token_version };
}

/**
 * A token of the bootstrapped global admin, restored first (ensureRootAdmin),
 * minted like login does: logging in for every helper call would trip the
 * per-account login throttle.
 */
export async function adminToken(): Promise<string> {
  const root = await ensureRootAdmin();
  return (await issueToken(env.JWT_SECRET, { sub: root.id, tv: root.token_version, auth_time: Math.floor(Date.now() / 1000) }))
    .token;
}

/** The User object the API answers for an active account without privileges, 2FA or groups, with these fields on top. */
export const plainUser = (fields: Record<string, unknown>) => ({
  isAdmin: false,
  isActive: true,
  mustChangePassword: false,
  has2FA: false,
  language: 'en',
  emailLanguage: 'en',
  groupId: null,
  groupRole: null,
  groups: [],
  ...fields,
});

export interface TestUser {
  id: string;
  name: string;
  email: string;
  password: string;
  token: string;
}

/** Registers a user, has the admin activate it, logs in. */
export async function createUser(
  options: { name?: string; email?: string; password?: string; language?: 'de' | 'en'; active?: boolean } = {},
): Promise<TestUser> {
  const id = uniq();
  const name = options.name ?? `User ${id}`;
  const email = options.email ?? `user-${id}@cake.test`;
  const password = options.password ?? `Cake-${id}-Secret`;
  const { userId } = await json(
    call('POST', '/api/auth/register', { body: { name, email, password, language: options.language } }),
    201,
  );
  if (options.active === false) return { id: userId, name, email, password, token: '' };
  await json(call('PUT', `/api/admin/users/${userId}/status`, { token: await adminToken(), body: { isActive: true } }), 200);
  const { token } = await login(email, password);
  return { id: userId, name, email, password, token };
}

export async function createGroup(options: { name?: string; timeZone?: string; description?: string } = {}) {
  return json<{ id: string; name: string; timeZone: string }>(
    call('POST', '/api/admin/groups', {
      token: await adminToken(),
      body: { name: options.name ?? `Group ${uniq()}`, timeZone: options.timeZone, description: options.description },
    }),
    201,
  );
}

/** Puts a user in a group (as its primary group), optionally as group admin. */
export async function addMember(userId: string, groupId: string, role: 'admin' | 'member' = 'member') {
  const token = await adminToken();
  await json(call('POST', '/api/admin/users/assign-group', { token, body: { userId, groupId } }), 200);
  if (role === 'admin') {
    await json(call('POST', '/api/admin/groups/set-role', { token, body: { userId, groupId, role } }), 200);
  }
}

/** The admin panel's "no group": removes all of the user's memberships. */
export async function removeFromAllGroups(userId: string): Promise<void> {
  await json(call('POST', '/api/admin/users/assign-group', { token: await adminToken(), body: { userId, groupId: null } }), 200);
}

/** A user who is a member of each of these groups (the last one their primary group); of none without any. */
export async function userIn(...groupIds: string[]): Promise<TestUser> {
  const user = await createUser();
  for (const groupId of groupIds) await addMember(user.id, groupId);
  return user;
}

/** A group with members, ready for a story: `await groupWith(2)` → { group, users }. */
export async function groupWith(memberCount: number, options: { timeZone?: string } = {}) {
  const group = await createGroup(options);
  const users: TestUser[] = [];
  for (let i = 0; i < memberCount; i++) users.push(await userIn(group.id));
  return { group, users };
}

/**
 * A valid session of the user whose sign-in was `secondsAgo` ago, as a token
 * stolen some time after its sign-in would be (for the step-up rules).
 */
export async function sessionSignedInAgo(userId: string, secondsAgo: number): Promise<string> {
  const row = await env.DB.prepare('select token_version as tv from users where id = ?').bind(userId).first<{ tv: number }>();
  const claims = { sub: userId, tv: row!.tv, auth_time: Math.floor(Date.now() / 1000) - secondsAgo };
  return (await issueToken(env.JWT_SECRET, claims)).token;
}
