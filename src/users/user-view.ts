/**
 * The User object as the user themself and admins see it, built by one
 * statement per list (memberships JSON-aggregated), never a query per user.
 */
import { z } from '@hono/zod-openapi';
import { asc, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client';
import { users, type Language, type Role } from '../db/schema';

export const UserGroupSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(['admin', 'member']),
});

export const UserSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string(),
    isAdmin: z.boolean(),
    isActive: z.boolean(),
    mustChangePassword: z.boolean(),
    has2FA: z.boolean(),
    language: z.enum(['de', 'en']),
    emailLanguage: z.enum(['de', 'en']),
    groupId: z.string().nullable().openapi({ description: 'Primary group: last assigned by an admin, else first joined' }),
    groupRole: z.enum(['admin', 'member']).nullable(),
    groups: z.array(UserGroupSchema),
    createdAt: z.string(),
    lastLoginAt: z.string().nullable(),
  })
  .openapi('User');

export type UserView = z.infer<typeof UserSchema>;

interface GroupEntry {
  id: string;
  name: string;
  role: Role;
}

export function userViewQuery(db: Database, where?: SQL) {
  const q = db
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      isAdmin: users.isAdmin,
      isActive: users.isActive,
      mustChangePassword: users.mustChangePassword,
      totpSecret: users.totpSecret,
      language: users.language,
      emailLanguage: users.emailLanguage,
      primaryGroupId: users.primaryGroupId,
      createdAt: users.createdAt,
      lastLoginAt: users.lastLoginAt,
      groups: sql<string>`(select json_group_array(json_object('id', g.id, 'name', g.name, 'role', m.role))
        from (select m.group_id, m.role from memberships m where m.user_id = ${users.id} order by m.created_at, m.group_id) m
        join groups g on g.id = m.group_id)`,
    })
    .from(users);
  return (where ? q.where(where) : q).orderBy(asc(users.name), asc(users.email));
}

export type UserViewRow = Awaited<ReturnType<typeof userViewQuery>>[number];

export function toUserView(row: UserViewRow): UserView {
  const groups = JSON.parse(row.groups) as GroupEntry[];
  const primary = groups.find((g) => g.id === row.primaryGroupId) ?? groups[0] ?? null;
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    isAdmin: row.isAdmin,
    isActive: row.isActive,
    mustChangePassword: row.mustChangePassword,
    has2FA: row.totpSecret !== null,
    language: row.language as Language,
    emailLanguage: row.emailLanguage as Language,
    groupId: primary?.id ?? null,
    groupRole: primary?.role ?? null,
    groups,
    createdAt: row.createdAt,
    lastLoginAt: row.lastLoginAt,
  };
}
