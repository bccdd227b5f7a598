/**
 * The version of what a caller's user lists show, read in one small statement
 * that rides in the session check's batch (see src/lib/remembered-pages.ts).
 *
 * Triggers (drizzle/0009_directory_versions.sql) give `groups.directory_version`
 * a new value whenever a member of the group, one of their memberships or the
 * name of one of their groups changes, and `directory.version` on any change
 * to users or memberships. So:
 * - a global admin's lists (everyone) are as new as `directory.version`;
 * - anyone else's lists hold only members of their own groups, so they are as
 *   new as those groups' versions, and the caller's roles in them decide which
 *   emails show; a change in another group leaves them as they are.
 * - a caller in no group sees only themself: `directory.version` again.
 */
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { directory, users } from '../db/schema';
import { ownGroup, ownGroupVersions } from '../groups/own-group-versions';
import type { PageVersion } from '../lib/remembered-pages';

export function directoryVersionQuery(db: Database, userId: string) {
  return db
    .select({
      version: sql<string>`case when ${users.isAdmin} then 'all:' || ${directory.version} else coalesce(
        ${ownGroupVersions(sql`${ownGroup.directoryVersion}`)}, 'alone:' || ${directory.version}) end`,
    })
    .from(users)
    .innerJoin(directory, eq(directory.id, 1))
    .where(eq(users.id, userId))
    .limit(1);
}

export const directoryVersion: PageVersion = { query: directoryVersionQuery };
