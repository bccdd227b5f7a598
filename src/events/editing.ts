/**
 * Changing an event (PATCH /api/events/{id}): its description, date and
 * dietary fields. The change is one conditional UPDATE: it applies only
 * while the event still has the date the rules were judged on, so two
 * changes at once cannot both move it; the calendar entry's SEQUENCE goes
 * up (in the same statement) only when what the entry shows changed.
 */
import { z } from '@hono/zod-openapi';
import { and, eq, ne, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { events, memberships, users } from '../db/schema';
import type { Recipient } from './creation';
import { AllergensField, cakeColumns, SuitableForField } from './dietary';
import { eventRowsQuery } from './queries';
import { CalendarDate, EventDescriptionField } from './schema';
import { cancelStaleSwaps } from './swaps';

export const EventChangeSchema = z
  .object({
    description: EventDescriptionField.optional(),
    date: CalendarDate.optional(),
    allergens: AllergensField,
    suitableFor: SuitableForField.optional(),
  })
  .openapi('EventChange', { description: 'Only the fields given change; an empty object changes nothing.' });
export type EventChange = z.infer<typeof EventChangeSchema>;

/** The columns a change sets (`allergens: null` states "not stated" again; absent leaves it). */
function changedColumns(change: EventChange) {
  const dietary = cakeColumns(change);
  return {
    ...(change.description !== undefined ? { description: change.description } : {}),
    ...(change.date !== undefined ? { date: change.date } : {}),
    ...(change.allergens !== undefined ? { allergens: dietary.allergens } : {}),
    ...(change.suitableFor !== undefined ? { suitableFor: dietary.suitableFor } : {}),
  };
}

/**
 * Applies the change while the event still has `judgedDate`, reads it back
 * as the editor sees it and, when the date moves, the group's other active
 * members to tell: one batch. No updated row: the event moved or went
 * meanwhile.
 */
export async function recordEventChange(
  db: Database,
  {
    eventId,
    groupId,
    judgedDate,
    editorId,
    change,
  }: { eventId: string; groupId: string; judgedDate: string; editorId: string; change: EventChange },
) {
  const set = changedColumns(change);
  const shown = [
    set.date !== undefined ? sql`${events.date} is not ${set.date}` : null,
    set.description !== undefined ? sql`${events.description} is not ${set.description}` : null,
    'allergens' in set ? sql`${events.allergens} is not ${set.allergens}` : null,
  ].filter((s) => s !== null);
  const bump = shown.length
    ? sql`${events.sequence} + (case when ${sql.join(shown, sql` or `)} then 1 else 0 end)`
    : events.sequence;
  const moved = set.date !== undefined && set.date !== judgedDate;
  const [updated, rows, recipients] = await db.batch([
    db
      .update(events)
      .set({ ...set, sequence: bump })
      .where(and(eq(events.id, eventId), eq(events.date, judgedDate)))
      .returning({ id: events.id }),
    eventRowsQuery(db, editorId, { where: eq(events.id, eventId) }),
    db
      .select({ email: users.email, language: users.emailLanguage })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      // Only a move is mailed: the statement reads nobody otherwise.
      .where(and(eq(memberships.groupId, groupId), ne(users.id, editorId), eq(users.isActive, true), sql`${moved ? 1 : 0} = 1`)),
    // Swap requests about the event were made on its former date.
    cancelStaleSwaps(db, eventId),
  ]);
  return { applied: updated.length > 0, row: rows[0], recipients: recipients as Recipient[], moved };
}
