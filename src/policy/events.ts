/**
 * Events: who sees them (as SQL, inside every event statement, so no handler
 * can return an event it forgot to check) and who may create, delete, rate
 * and add photos (as predicates on the caller and the event's access row).
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Caller } from '../auth/caller';
import { events } from '../db/schema';
import { asGlobalAdmin, asNonAdmin, isGroupAdminOf, isMemberOf, viewerGroupIds, viewerIsAdmin } from './roles';

/** Visible: to the members of the event's group and to global admins. For statements that find events by key: checked per row. */
export function visibleTo(viewerId: string): SQL {
  return sql`(${events.groupId} in ${viewerGroupIds(viewerId)} or ${viewerIsAdmin(viewerId)})`;
}

/** The two branches of an event list over every visible group. */
export const eventListBranches = (viewerId: string, limit: number) =>
  [asGlobalAdmin(viewerId, limit), asNonAdmin(viewerId, limit, sql`${events.groupId} in ${viewerGroupIds(viewerId)}`)] as const;

/** Only members create events in a group (global admins included: they bake as members). */
export const canCreateEventIn = (caller: Caller, groupId: string) => isMemberOf(caller, groupId);

/** The baker while upcoming, an admin of the group, or a global admin. */
export function canDeleteEvent(caller: Caller, event: { groupId: string; bakerId: string | null }, isUpcoming: boolean): boolean {
  if (caller.isAdmin || isGroupAdminOf(caller, event.groupId)) return true;
  return event.bakerId === caller.id && isUpcoming;
}

/** The same people as for deleting: the baker while upcoming, an admin of the group, or a global admin. */
export const canEditEvent = (caller: Caller, event: { groupId: string; bakerId: string | null }, isUpcoming: boolean) =>
  canDeleteEvent(caller, event, isUpcoming);

/** A group member other than the baker (the date rule is checked separately: 409 not_yet). */
export const canRateEvent = (caller: Caller, event: { groupId: string; bakerId: string | null }) =>
  isMemberOf(caller, event.groupId) && event.bakerId !== caller.id;

/** Gallery photos come from the group's members (one each). */
export const canAddPhotoTo = (caller: Caller, event: { groupId: string }) => isMemberOf(caller, event.groupId);

/** The dietary needs of the group (counts, never names): the baker, the group's admins and global admins, on upcoming events. */
export const canSeeDietaryNeeds = (caller: Caller, event: { groupId: string; bakerId: string | null }, isUpcoming: boolean) =>
  isUpcoming && (caller.isAdmin || isGroupAdminOf(caller, event.groupId) || event.bakerId === caller.id);

/**
 * The SQL twin of `canSeeDietaryNeeds` but for the date, which needs the
 * group's time zone and is judged on the answer (for the count it only has
 * to be no more than a day past): so nobody else makes the statement read
 * a member.
 */
export const mayCountDietaryNeeds = (viewerId: string, eventId: string): SQL =>
  sql`exists (select 1 from events de where de.id = ${eventId} and de.date >= date('now', '-1 day') and (
    de.baker_id = ${viewerId} or ${viewerIsAdmin(viewerId)}
    or exists (select 1 from memberships dm where dm.user_id = ${viewerId} and dm.group_id = de.group_id and dm.role = 'admin')))`;
