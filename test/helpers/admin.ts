/**
 * A small organisation for admin stories: group G with its admin, a plain
 * member and a target user; group H with its own admin.
 */
import { env } from 'cloudflare:workers';
import { addMember, adminToken, createGroup, createUser, ensureRootAdmin, type TestUser } from './api';

export type CallerKind = 'globalAdmin' | 'groupAdmin' | 'otherGroupAdmin' | 'member' | 'anonymous';
export const CALLER_KINDS: CallerKind[] = ['globalAdmin', 'groupAdmin', 'otherGroupAdmin', 'member', 'anonymous'];

export interface Organisation {
  g: { id: string; name: string };
  h: { id: string; name: string };
  groupAdmin: TestUser;
  otherGroupAdmin: TestUser;
  member: TestUser;
  tokens: Record<CallerKind, string | undefined>;
}

export async function organisation(): Promise<Organisation> {
  const [g, h] = [await createGroup(), await createGroup()];
  const groupAdmin = await createUser({ name: 'G Admin' });
  const otherGroupAdmin = await createUser({ name: 'H Admin' });
  const member = await createUser({ name: 'G Member' });
  await addMember(groupAdmin.id, g.id, 'admin');
  await addMember(otherGroupAdmin.id, h.id, 'admin');
  await addMember(member.id, g.id);
  return {
    g,
    h,
    groupAdmin,
    otherGroupAdmin,
    member,
    tokens: {
      globalAdmin: await adminToken(),
      groupAdmin: groupAdmin.token,
      otherGroupAdmin: otherGroupAdmin.token,
      member: member.token,
      anonymous: undefined,
    },
  };
}

/** A fresh user in a group (e.g. as the target of a destructive action). */
export async function memberOf(groupId: string, role: 'admin' | 'member' = 'member'): Promise<TestUser> {
  const user = await createUser();
  await addMember(user.id, groupId, role);
  return user;
}

/** Makes a user a global admin: no endpoint grants that, only the bootstrap and the database. */
export async function makeGlobalAdmin(userId: string): Promise<void> {
  await env.DB.prepare('update users set is_admin = 1 where id = ?').bind(userId).run();
}

/** The id of the bootstrapped global admin, restored first (see ensureRootAdmin). */
export async function rootAdminId(): Promise<string> {
  return (await ensureRootAdmin()).id;
}

/**
 * Leaves exactly these (active) users as the active global admins of this
 * test file's database: they become global admins, every other active one a
 * plain user. Stories about the last admin set up their admins with it,
 * whatever earlier tests of the file left behind.
 */
export async function onlyActiveAdmins(...userIds: string[]): Promise<void> {
  const ids = userIds.map(() => '?').join(', ');
  await env.DB.batch([
    env.DB.prepare(`update users set is_admin = 0 where is_admin = 1 and is_active = 1 and id not in (${ids})`).bind(...userIds),
    env.DB.prepare(`update users set is_admin = 1 where id in (${ids})`).bind(...userIds),
  ]);
}

/** The bootstrapped global admin as the only active global admin: its id and a token. */
export async function rootAsLastAdmin(): Promise<{ id: string; token: string }> {
  const token = await adminToken();
  const id = await rootAdminId();
  await onlyActiveAdmins(id);
  return { id, token };
}
