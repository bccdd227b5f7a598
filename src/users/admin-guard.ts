/**
 * "No admin action may leave the system without an active global admin."
 * The condition is evaluated inside the statement that would break it, so it
 * also holds when two admins act at the same moment.
 */
import { sql, type SQL } from 'drizzle-orm';

/** True unless `userId` is the only active global admin. */
export function keepsAnActiveAdmin(userId: string): SQL {
  return sql`not exists (
    select 1 from users t where t.id = ${userId} and t.is_admin and t.is_active
      and not exists (select 1 from users o where o.is_admin and o.is_active and o.id <> t.id))`;
}
