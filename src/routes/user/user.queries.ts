/**
 * Queries of the user's own endpoints that read other people's data: both are
 * written against the token's user id so they can ride in the token check's
 * batch (the caller is only known once that batch returns).
 */
import { asc, eq, or, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { groups, memberships, users, type Role } from '../../db/schema';
import { userViewQuery } from '../../users/user-view';

// The outer user is named in full ("users"."id"): drizzle would render an
// unqualified "id", which a joined groups table inside the subquery captures.

/** Everyone for a global admin; else the caller and the members of the caller's groups. */
function visibleTo(userId: string) {
  return or(
    eq(users.id, userId),
    sql`exists (select 1 from users me where me.id = ${userId} and me.is_admin)`,
    sql`exists (select 1 from memberships theirs join memberships mine on mine.group_id = theirs.group_id
      where theirs.user_id = "users"."id" and mine.user_id = ${userId})`,
  )!;
}

export interface SharedGroup {
  id: string;
  name: string;
  role: Role;
}

export function visibleUsersQueries(db: Database, userId: string) {
  return [
    userViewQuery(db, visibleTo(userId)),
    db
      .select({
        id: users.id,
        shared: sql<string>`(select json_group_array(json_object('id', g.id, 'name', g.name, 'role', theirs.role))
          from memberships theirs
          join memberships mine on mine.group_id = theirs.group_id and mine.user_id = ${userId}
          join groups g on g.id = theirs.group_id
          where theirs.user_id = "users"."id")`,
      })
      .from(users)
      .where(visibleTo(userId)),
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
