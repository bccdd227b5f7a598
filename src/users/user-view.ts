/**
 * The User object as the user themself and admins see it, built by one
 * statement per list (memberships JSON-aggregated), never a query per user.
 */
import { z } from '@hono/zod-openapi';
import { and, asc, eq, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Database } from '../db/client';
import { groups, type Language, memberships, ROLES, type Role, users } from '../db/schema';
import { createSelectSchema } from '../db/zod';
import { DietaryProfileSchema, profileOf } from '../events/dietary';
import { Timestamp } from '../lib/openapi';
import { after } from '../lib/pagination';

export const UserGroupSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
});

/** The table's columns the User object shows as they are; the rest is derived per statement. */
const column = createSelectSchema(users, { createdAt: Timestamp, lastLoginAt: Timestamp.nullable() }).shape;

export const UserSchema = z
  .object({
    id: column.id,
    name: column.name,
    email: column.email,
    isAdmin: column.isAdmin,
    isActive: column.isActive,
    mustChangePassword: column.mustChangePassword,
    has2FA: z.boolean(),
    language: column.language,
    emailLanguage: column.emailLanguage,
    groupId: z.string().nullable().openapi({ description: 'Primary group: last assigned by an admin, else first joined' }),
    groupRole: z.enum(ROLES).nullable(),
    groups: z.array(UserGroupSchema),
    createdAt: column.createdAt,
    lastLoginAt: column.lastLoginAt,
  })
  .openapi('User');

export type UserView = z.infer<typeof UserSchema>;

interface GroupEntry {
  id: string;
  name: string;
  role: Role;
}

/**
 * Every user list's order and keyset: the id is unique, so the pair is;
 * `users_name_id_idx` serves it. Not the email: the key of a page's last row
 * travels in the next page's cursor, readable by whoever holds it.
 */
const userOrderKey = [users.name, users.id];
export const UserKey = z.tuple([z.string(), z.string()]);
/**
 * A whole-table list (a global admin's) after the cursor; on the first page a
 * range that holds every name, so the index is entered by a seek and read in
 * order for one page. Not for lists filtered otherwise: there the range would
 * tempt SQLite to walk the index past every row the filter drops.
 */
export const usersAfter = (key: readonly [string, string] | undefined): SQL =>
  key ? after(userOrderKey, key) : sql`${users.name} >= ''`;
export const userKeyOf = (row: { name: string; id: string }) => [row.name, row.id] as const;

/** The User object's own columns; its groups are aggregated per statement. */
const userViewColumns = {
  id: users.id,
  name: users.name,
  email: users.email,
  isAdmin: users.isAdmin,
  isActive: users.isActive,
  mustChangePassword: users.mustChangePassword,
  // Whether 2FA is on, not the (encrypted) secret: nothing more leaves the database than the view shows.
  has2FA: sql<number>`${users.totpSecret} is not null`.as('has_2fa'),
  language: users.language,
  emailLanguage: users.emailLanguage,
  primaryGroupId: users.primaryGroupId,
  createdAt: users.createdAt,
  lastLoginAt: users.lastLoginAt,
};

/** The user's groups with their roles, in joining order (JSON). */
const groupsOfUser = sql<string>`(select json_group_array(json_object('id', g.id, 'name', g.name, 'role', m.role))
  from (select um.group_id, um.role from memberships um where um.user_id = ${users.id} order by um.created_at, um.group_id) m
  join groups g on g.id = m.group_id)`;

export function userViewQuery(db: Database, where?: SQL, limit?: number | SQL) {
  const q = db.select({ ...userViewColumns, groups: groupsOfUser }).from(users);
  const ordered = (where ? q.where(where) : q).orderBy(...userOrderKey.map((c) => asc(c)));
  // drizzle renders an SQL limit (a branch's guarded page size) as it is; its types only name numbers.
  return limit ? ordered.limit(limit as number) : ordered;
}

const mine = alias(memberships, 'mine');
const theirs = alias(memberships, 'theirs');

/**
 * GET /api/admin/users for a group admin (the branch of
 * `managedUserListBranches`): the members of the groups the caller
 * administers, each with those of its groups only (the ones asSeenBy shows
 * a group admin), in joining order. One row per member and group, walked
 * from the caller's admin memberships in page order, then aggregated per
 * member in that order: one sort, and no per-member reads (the members of
 * an `IN` list, each with all of its groups, cost two more rows a member).
 */
export function administeredUsersQuery(db: Database, callerId: string, key: readonly [string, string] | undefined, limit: SQL) {
  const member = db
    .select({
      ...userViewColumns,
      groupId: sql<string>`${groups.id}`.as('group_id'),
      groupName: sql<string>`${groups.name}`.as('group_name'),
      role: sql<Role>`${theirs.role}`.as('role'),
    })
    .from(mine)
    .innerJoin(groups, eq(groups.id, mine.groupId))
    .innerJoin(theirs, eq(theirs.groupId, mine.groupId))
    .innerJoin(users, eq(users.id, theirs.userId))
    .where(and(eq(mine.userId, callerId), eq(mine.role, 'admin'), key ? after(userOrderKey, key) : undefined))
    .orderBy(asc(users.name), asc(users.id), asc(theirs.joinedAt), asc(theirs.groupId))
    .as('member');
  const columns = Object.fromEntries(Object.keys(userViewColumns).map((k) => [k, member[k as keyof typeof userViewColumns]])) as {
    [K in keyof typeof userViewColumns]: (typeof member)[K];
  };
  return (
    db
      .select({
        ...columns,
        groups: sql<string>`json_group_array(json_object('id', ${member.groupId}, 'name', ${member.groupName}, 'role', ${member.role}))`,
      })
      .from(member)
      // In the page's order: the planner reads the rows as sorted above, with no second sort.
      .groupBy(member.name, member.id)
      .orderBy(asc(member.name), asc(member.id))
      // drizzle renders an SQL limit (a branch's guarded page size) as it is; its types only name numbers.
      .limit(limit as unknown as number)
  );
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
    has2FA: !!row.has2FA,
    language: row.language as Language,
    emailLanguage: row.emailLanguage as Language,
    groupId: primary?.id ?? null,
    groupRole: primary?.role ?? null,
    groups,
    createdAt: row.createdAt,
    lastLoginAt: row.lastLoginAt,
  };
}

/**
 * The User object as its owner sees it: with their dietary profile, which is
 * health data and in no other view (admin lists, co-members, the admin's
 * answers).
 */
export const OwnUserSchema = UserSchema.extend({ dietary: DietaryProfileSchema }).openapi('OwnUser', {
  description: 'The User object as the user themself sees it: with their dietary profile, shown to nobody else',
});

export const ownUserViewQuery = (db: Database, userId: string) =>
  db
    .select({ ...userViewColumns, groups: groupsOfUser, dietaryAvoids: users.dietaryAvoids, diet: users.diet })
    .from(users)
    .where(eq(users.id, userId));

export const toOwnUserView = (row: Awaited<ReturnType<typeof ownUserViewQuery>>[number]) => ({
  ...toUserView(row),
  dietary: profileOf(row),
});
