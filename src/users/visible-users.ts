/**
 * Queries of the user's own endpoints that read other people's data: both are
 * written against the token's user id so they can ride in the token check's
 * batch (the caller is only known once that batch returns).
 */
import { asc, eq, type SQL, Subquery, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { groups, memberships, type Role } from '../db/schema';
import { asGlobalAdmin, asNonAdmin } from '../policy';
import { usersAfter, userViewQuery } from './user-view';

export interface SharedGroup {
  id: string;
  name: string;
  role: Role;
}

/**
 * How many of the caller's groups get an arm of their own in `coMembersPage`;
 * any further ones share one. With that arm and the caller's own, five: as
 * many terms as D1 allows in a compound SELECT.
 */
const OWN_GROUP_ARMS = 3;

/**
 * GET /api/users as two branches (src/policy/roles.ts): a global admin
 * pages through everyone in index order; anyone else through the members of
 * their groups, each with the groups shared with the caller.
 */
export function visibleUsersQueries(db: Database, userId: string, key: readonly [string, string] | undefined, limit: number) {
  const asAdmin = asGlobalAdmin(userId, limit);
  const others = asNonAdmin(userId, limit);
  const page = new Subquery(coMembersPage(userId, key, limit, others.limit), {}, 'page');
  return [
    userViewQuery(db, usersAfter(key), asAdmin.limit),
    db
      .select({
        id: sql<string>`page.id`,
        name: sql<string>`page.name`,
        email: sql<string>`page.email`,
        // JSON: the groups shared with the caller, `{id, name, role}` each.
        shared: sql<string>`page.shared`,
      })
      .from(page),
  ] as const;
}

/**
 * A page of the caller's co-members (the caller always among them, with no
 * shared group when in none), in name order, each with the groups shared.
 *
 * One arm per group of the caller (the n-th by id), each the group's
 * members after the cursor off `memberships_group_name_idx`, at most a
 * page: a member on the page is within the first page of every group they
 * share, so the arms hold all of their shared groups. Groups past the
 * first OWN_GROUP_ARMS share a last arm. The arms' rows are grouped by
 * member and the page cut; then each member's row gives the email. So the
 * page costs about one index entry per member and shared group on it, not
 * the caller's whole groups sorted (the arms' number is fixed when the
 * statement is built, before the caller's groups are known).
 */
function coMembersPage(userId: string, key: readonly [string, string] | undefined, limit: number, guardedLimit: SQL) {
  const after = (name: SQL, id: SQL) => (key ? sql`(${name}, ${id}) > (${key[0]}, ${key[1]})` : sql`1`);
  const nthGroup = (n: number) =>
    sql`(select vm.group_id from memberships vm where vm.user_id = ${userId} order by vm.group_id limit 1 offset ${n})`;
  const arms = Array.from(
    { length: OWN_GROUP_ARMS },
    // The group's name is read once per arm (the subquery depends on no row), not once per member.
    (_, n) => sql`select * from (select m.user_id, m.member_name, m.group_id, m.role,
        (select g.name from groups g where g.id = ${nthGroup(n)}) as group_name
      from memberships m where m.group_id = ${nthGroup(n)} and ${after(sql`m.member_name`, sql`m.user_id`)}
      order by m.member_name, m.user_id limit ${limit})`,
  );
  arms.push(sql`select m.user_id, m.member_name, m.group_id, m.role, g.name from memberships vm
    join groups g on g.id = vm.group_id
    join memberships m on m.group_id = vm.group_id and m.user_id in (
      select m2.user_id from memberships m2 where m2.group_id = vm.group_id and ${after(sql`m2.member_name`, sql`m2.user_id`)}
      order by m2.member_name, m2.user_id limit ${limit})
    where vm.user_id = ${userId} and vm.group_id > ${nthGroup(OWN_GROUP_ARMS - 1)}`);
  // The caller, also when in no group; the arms' row of the caller carries their groups.
  arms.push(sql`select u.id, u.name, null, null, null from users u where u.id = ${userId} and ${after(sql`u.name`, sql`u.id`)}`);
  return sql`select page.user_id as id, page.member_name as name, u.email as email, page.shared as shared from (
      select p.user_id, p.member_name,
        json_group_array(json_object('id', p.group_id, 'name', p.group_name, 'role', p.role))
          filter (where p.group_id is not null) as shared
      from (${sql.join(arms, sql` union all `)}) p
      group by p.member_name, p.user_id order by p.member_name, p.user_id limit ${guardedLimit}
    ) page join users u on u.id = page.user_id order by page.member_name, page.user_id`;
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
