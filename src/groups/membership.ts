/**
 * Changes to one membership, each one batch that also reads the user as it
 * is afterwards (so the route answers without another trip). Who may make
 * them is decided before (src/policy/groups.ts); joining a group is an
 * admin's assignment (src/users/administration.ts).
 */
import { and, eq } from 'drizzle-orm';
import type { Database } from '../db/client';
import { memberships, type Role, users } from '../db/schema';
import { userViewQuery } from '../users/user-view';

const membership = (groupId: string, userId: string) => and(eq(memberships.userId, userId), eq(memberships.groupId, groupId));

/** Takes the user out of the group; a primary group that was this one falls back to the first group joined. */
export async function removeMembership(db: Database, groupId: string, userId: string) {
  const [removed, , after] = await db.batch([
    db.delete(memberships).where(membership(groupId, userId)).returning({ userId: memberships.userId }),
    db
      .update(users)
      .set({ primaryGroupId: null })
      .where(and(eq(users.id, userId), eq(users.primaryGroupId, groupId))),
    userViewQuery(db, eq(users.id, userId)),
  ]);
  return { removed: removed.length > 0, after: after[0] };
}

/** Makes the member an admin of the group or a plain member again. */
export async function setMembershipRole(db: Database, groupId: string, userId: string, role: Role) {
  const [updated, after] = await db.batch([
    db.update(memberships).set({ role }).where(membership(groupId, userId)).returning({ userId: memberships.userId }),
    userViewQuery(db, eq(users.id, userId)),
  ]);
  return { updated: updated.length > 0, after: after[0] };
}
