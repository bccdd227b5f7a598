/**
 * Queries of the user's own endpoints that read other people's data: both are
 * written against the token's user id so they can ride in the token check's
 * batch (the caller is only known once that batch returns).
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { groups, memberships, users, type Role } from '../../db/schema';
import { asGlobalAdmin, asNonAdmin, viewerGroupIds } from '../../events/visibility';
import { after } from '../../lib/pagination';
import { userOrderKey, usersAfter, userViewQuery } from '../../users/user-view';

// The outer user is named in full ("users"."id"): drizzle would render an
// unqualified "id", which a joined groups table inside the subquery captures.

/** The caller and the members of the caller's groups. */
const sharesAGroupWith = (userId: string) => sql`"users"."id" in (
  select theirs.user_id from memberships mine join memberships theirs on theirs.group_id = mine.group_id
  where mine.user_id = ${userId}
  union select ${userId})`;

export interface SharedGroup {
  id: string;
  name: string;
  role: Role;
}

/**
 * GET /api/users as two branches (src/events/visibility.ts): a global admin
 * pages through everyone in index order; anyone else through the members of
 * their groups, each with the groups shared with the caller.
 */
export function visibleUsersQueries(db: Database, userId: string, key: readonly [string, string] | undefined, limit: number) {
  const asAdmin = asGlobalAdmin(userId, limit);
  const others = asNonAdmin(userId, limit, sharesAGroupWith(userId));
  return [
    userViewQuery(db, usersAfter(key), asAdmin.limit),
    db
      .select({
        id: users.id,
        name: users.name,
        email: users.email,
        // Their memberships by key, kept where the caller's groups (a list built once per statement) hold them.
        shared: sql<string>`(select json_group_array(json_object('id', g.id, 'name', g.name, 'role', theirs.role))
          from memberships theirs join groups g on g.id = theirs.group_id
          where theirs.user_id = "users"."id" and theirs.group_id in ${viewerGroupIds(userId)})`,
      })
      .from(users)
      // Only the keyset here: a first-page range on the name would tempt SQLite to walk every user in order.
      .where(and(others.where, key ? after(userOrderKey, key) : undefined))
      .orderBy(...userOrderKey.map((c) => asc(c)))
      .limit(others.limit as unknown as number),
  ] as const;
}

export function ownGroupsQuery(db: Database, userId: string) {
  return db
    .select({
      id: groups.id,
      name: groups.name,
      role: memberships.role,
      memberCount: sql<number>`(select count(*) from memberships m where m.group_id = ${groups.id})`,
    })
    .from(memberships)
    .innerJoin(groups, eq(groups.id, memberships.groupId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(groups.name), asc(groups.id));
}
