/**
 * Event visibility as SQL: the members of an event's group, and global
 * admins. Every event query takes the viewer and applies this filter inside
 * the statement, so no handler can return an event it forgot to check.
 */
import { sql, type SQL } from 'drizzle-orm';
import { events } from '../db/schema';

export function visibleTo(viewerId: string): SQL {
  return sql`(exists (select 1 from memberships vm where vm.group_id = ${events.groupId} and vm.user_id = ${viewerId})
    or exists (select 1 from users va where va.id = ${viewerId} and va.is_admin = 1))`;
}
