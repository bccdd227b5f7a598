// Events, domain module (src/events/). HTTP routes: src/routes/events/; table: `events` in src/db/schema.ts.
/**
 * The version of what a caller's event lists show, read in one small
 * statement that rides in the session check's batch (src/lib/remembered-pages.ts).
 *
 * Triggers (drizzle/0010_events_versions.sql) give `groups.events_version` a
 * new value whenever one of the group's events, their ratings or photos, the
 * names on them, or the group's name or time zone change. A caller's lists
 * hold the events of their groups (every group for a global admin), so they
 * are as new as those groups' versions, with the caller's roles (what they
 * may delete or rate). Besides the data, a CakeEvent changes with the day:
 * `isFuture` at midnight in its group's time zone, photo URLs with their
 * daily expiry; that is the page's moment.
 */
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { users } from '../db/schema';
import { ownGroup, ownGroupVersions } from '../groups/own-group-versions';
import type { PageVersion } from '../lib/remembered-pages';
import { localDate } from '../lib/time';
import { photoExpiry } from '../photos/signing';

export function eventsVersionQuery(db: Database, userId: string) {
  return db
    .select({
      // Each entry ends in the group's time zone (ids, roles and versions hold no ':', zone names none either).
      version: sql<string>`case when ${users.isAdmin} then 'all:' || coalesce(
          (select group_concat(v, ',') from (
            select ag.id || ':' || ag.events_version || ':' || ag.time_zone as v from groups ag order by ag.id)), '')
        else 'member:' || coalesce(${ownGroupVersions(sql`${ownGroup.eventsVersion} || ':' || ${ownGroup.timeZone}`)}, '') end`,
    })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
}

/** Today in each time zone the version names, and the photo URLs' expiry. */
export function eventsMoment(version: string, now: Date): string {
  const zones = new Set<string>();
  for (const entry of version.slice(version.indexOf(':') + 1).split(',')) {
    if (entry) zones.add(entry.slice(entry.lastIndexOf(':') + 1));
  }
  const days = [...zones].sort().map((zone) => localDate(zone, now));
  return `${photoExpiry(now.getTime())}|${days.join(',')}`;
}

export const eventsVersion: PageVersion = { query: eventsVersionQuery, moment: eventsMoment };
