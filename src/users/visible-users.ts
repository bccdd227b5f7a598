/**
 * Queries of the user's own endpoints that read other people's data: both are
 * written against the token's user id so they can ride in the token check's
 * batch (the caller is only known once that batch returns).
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Database } from '../db/client';
import { groups, memberships, type Role, users } from '../db/schema';
import { after } from '../lib/pagination';
import { asGlobalAdmin, asNonAdmin } from '../policy';
import { userOrderKey, usersAfter, userViewQuery } from './user-view';

export interface SharedGroup {
  id: string;
  name: string;
  role: Role;
}

const me = alias(users, 'me');
const mine = alias(memberships, 'mine');
const theirs = alias(memberships, 'theirs');

/**
 * GET /api/users as two branches (src/policy/roles.ts): a global admin
 * pages through everyone in index order; anyone else through the members of
 * their groups, each with the groups shared with the caller.
 *
 * The members' statement walks from the caller's memberships to the other
 * members of those groups and aggregates the shared groups in the same pass
 * (a subquery per member costs twice as much). The walk's rows come sorted
 * in page order, so the aggregate groups them as they come (grouped by id,
 * then ordered by name, they were sorted twice). The caller is always one of
 * the rows, with no shared group when in none.
 */
export function visibleUsersQueries(db: Database, userId: string, key: readonly [string, string] | undefined, limit: number) {
  const asAdmin = asGlobalAdmin(userId, limit);
  const others = asNonAdmin(userId, limit);
  const shared = db
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      groupId: sql<string | null>`${groups.id}`.as('group_id'),
      groupName: sql<string | null>`${groups.name}`.as('group_name'),
      role: sql<Role | null>`${theirs.role}`.as('role'),
    })
    .from(me)
    .leftJoin(mine, eq(mine.userId, me.id))
    // Each group read once, with the caller's membership, not once per member.
    .leftJoin(groups, eq(groups.id, mine.groupId))
    .leftJoin(theirs, eq(theirs.groupId, mine.groupId))
    .innerJoin(users, sql`${users.id} = coalesce(${theirs.userId}, ${me.id})`)
    .where(and(eq(me.id, userId), key ? after(userOrderKey, key) : undefined))
    .orderBy(...userOrderKey.map((c) => asc(c)))
    .as('shared');
  return [
    userViewQuery(db, usersAfter(key), asAdmin.limit),
    db
      .select({
        id: shared.id,
        name: shared.name,
        email: shared.email,
        shared: sql<string>`json_group_array(json_object('id', ${shared.groupId}, 'name', ${shared.groupName}, 'role', ${shared.role}))
          filter (where ${shared.groupId} is not null)`,
      })
      .from(shared)
      .groupBy(shared.name, shared.id)
      .orderBy(asc(shared.name), asc(shared.id))
      .limit(others.limit as unknown as number),
  ] as const;
}

export function ownGroupsQuery(db: Database, userId: string) {
  return db
    .select({
      id: groups.id,
      name: groups.name,
      role: memberships.role,
      memberCount: groups.memberCount,
    })
    .from(memberships)
    .innerJoin(groups, eq(groups.id, memberships.groupId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(groups.name), asc(groups.id));
}
