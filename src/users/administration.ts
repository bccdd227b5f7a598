/**
 * What an admin changes on a user account, each one batch: activation,
 * group assignment, a forced password change and a 2FA reset. Every batch
 * reads the user as it is afterwards (`userViewQuery`) so the route answers
 * without another trip; the scopes and guards (src/policy/users.ts) sit
 * inside the writing statements, so two admins acting at once cannot break
 * them.
 */
import { and, eq, exists, isNotNull, sql } from 'drizzle-orm';
import { dropRecoveryCodes } from '../auth/recovery-codes';
import type { replacedFeedToken } from '../calendar/feed-token';
import type { Database } from '../db/client';
import { groups, memberships, type Role, users } from '../db/schema';
import { forceablePasswordScope, keepsAnActiveAdmin, managedUsersScope } from '../policy';
import { userViewQuery } from './user-view';

/**
 * Activates or deactivates an account. Deactivation revokes its tokens (a
 * version bump) and may not remove the last active global admin. Returns the
 * state before (no row: unknown user), whether the write happened, and the user after.
 */
export async function setActivity(db: Database, userId: string, isActive: boolean) {
  const [[before], updated, after] = await db.batch([
    db.select({ isActive: users.isActive }).from(users).where(eq(users.id, userId)).limit(1),
    db
      .update(users)
      .set(isActive ? { isActive: true } : { isActive: false, tokenVersion: sql`${users.tokenVersion} + 1` })
      .where(isActive ? eq(users.id, userId) : and(eq(users.id, userId), keepsAnActiveAdmin(userId)))
      .returning({ id: users.id }),
    userViewQuery(db, eq(users.id, userId)),
  ]);
  return { before, written: updated.length > 0, after: after[0] };
}

/**
 * Puts a user into a group (as member, and as primary group), or with
 * `groupId` null out of every group. The writes touch rows only when the user
 * (and the group) exist; the existence reads tell which is missing.
 */
export async function assignToGroup(db: Database, userId: string, groupId: string | null) {
  const userRow = db.select({ id: users.id }).from(users).where(eq(users.id, userId)).limit(1);
  if (groupId === null) {
    const [[user], , , after] = await db.batch([
      userRow,
      db.delete(memberships).where(eq(memberships.userId, userId)),
      db.update(users).set({ primaryGroupId: null }).where(eq(users.id, userId)),
      userViewQuery(db, eq(users.id, userId)),
    ]);
    return { userFound: user !== undefined, groupFound: true, after: after[0] };
  }
  const groupRow = db.select({ id: groups.id }).from(groups).where(eq(groups.id, groupId)).limit(1);
  const joinedAt = new Date().toISOString();
  const [[user], [group], , , after] = await db.batch([
    userRow,
    groupRow,
    db
      .insert(memberships)
      .select((qb) =>
        qb
          .select({
            userId: users.id,
            groupId: groups.id,
            role: sql<Role>`'member'`.as('role'),
            joinedAt: sql<string>`${joinedAt}`.as('created_at'),
            // drizzle's INSERT … SELECT names every column: a new member starts the ledger at 0.
            balance: sql<number>`0`.as('balance'),
            cakesBaked: sql<number>`0`.as('cakes_baked'),
            cakesShared: sql<number>`0`.as('cakes_shared'),
            lastBakedOn: sql<string | null>`null`.as('last_baked_on'),
            memberName: users.name,
          })
          .from(users)
          .innerJoin(groups, eq(groups.id, groupId))
          .where(eq(users.id, userId)),
      )
      .onConflictDoNothing(),
    db
      .update(users)
      .set({ primaryGroupId: groupId })
      .where(and(eq(users.id, userId), exists(groupRow))),
    userViewQuery(db, eq(users.id, userId)),
  ]);
  return { userFound: user !== undefined, groupFound: group !== undefined, after: after[0] };
}

/**
 * Sets or clears "must change password" on a user the caller may force
 * (`forceablePasswordScope`: the scope is part of the UPDATE). Setting it
 * revokes the user's tokens and replaces the calendar feed token
 * (`feedToken`, the columns to write). `managed` tells a user the caller
 * manages but may not force (a global admin) from one it does not see.
 */
export async function forcePasswordChangeOf(
  db: Database,
  callerId: string,
  userId: string,
  change: { mustChange: true; feedToken: Awaited<ReturnType<typeof replacedFeedToken>> } | { mustChange: false },
) {
  const [updated, after, managed] = await db.batch([
    db
      .update(users)
      .set(
        change.mustChange
          ? { mustChangePassword: true, tokenVersion: sql`${users.tokenVersion} + 1`, ...change.feedToken }
          : { mustChangePassword: false },
      )
      .where(and(eq(users.id, userId), forceablePasswordScope(callerId)))
      .returning({ id: users.id, email: users.email, name: users.name, emailLanguage: users.emailLanguage }),
    userViewQuery(db, eq(users.id, userId)),
    db
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.id, userId), managedUsersScope(callerId))),
  ]);
  return { forced: updated[0], managed: managed.length > 0, after: after[0] };
}

/** Clears a user's two-factor authentication (revoking their tokens); `cleared` is empty when they had none. */
export async function resetTwoFactorOf(db: Database, userId: string) {
  const [cleared, after] = await db.batch([
    db
      .update(users)
      .set({ totpSecret: null, totpPendingSecret: null, tokenVersion: sql`${users.tokenVersion} + 1` })
      .where(and(eq(users.id, userId), isNotNull(users.totpSecret)))
      .returning({ email: users.email, name: users.name, emailLanguage: users.emailLanguage }),
    userViewQuery(db, eq(users.id, userId)),
    // Only a user without 2FA is left with codes removed here, and such a user has none.
    dropRecoveryCodes(db, userId),
  ]);
  return { cleared: cleared[0], after: after[0] };
}
