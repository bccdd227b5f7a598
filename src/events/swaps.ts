/**
 * Swaps: the baker of one upcoming cake asks the baker of another in the
 * same group to exchange their dates; each cake keeps its baker,
 * description and photos. The request keeps both dates and bakers as they
 * were when asked, and accepting exchanges the dates only while both events
 * still have them: otherwise the request is cancelled. Every change of
 * either cake (an edit, a take, another swap) cancels the requests it made
 * stale in its own batch, and a request goes with either event (FK).
 *
 * The cake ledger (src/planning/ledger.ts) charges the baker an event has
 * when its date comes: both cakes are upcoming, before and after the swap,
 * so nothing it has counted changes.
 */
import { z } from '@hono/zod-openapi';
import { and, eq, inArray, or, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Database } from '../db/client';
import { events, groups, swapRequests, users } from '../db/schema';
import { visibleTo } from '../policy';
import { eventRowsQuery } from './queries';

export const SwapRequestSchema = z
  .object({
    id: z.string(),
    eventId: z.string(),
    withEventId: z.string(),
    requestedBy: z.object({ id: z.string(), name: z.string() }),
    status: z.enum(['pending', 'accepted', 'declined', 'cancelled']).openapi({
      description: '`cancelled`: either cake changed (date or baker) or its date came before the answer.',
    }),
    createdAt: z.string(),
  })
  .openapi('SwapRequest');
export type SwapRequest = z.infer<typeof SwapRequestSchema>;

export const NewSwapSchema = z
  .object({ withEventId: z.string().min(1).max(64).openapi({ description: 'Another baker’s upcoming cake in the same group' }) })
  .openapi('NewSwapRequest');

const other = alias(events, 'with_event');

/** One swap request as the viewer may see it, with both events as they are now, or no row. */
export function swapQuery(db: Database, viewerId: string, id: string) {
  return db
    .select({
      id: swapRequests.id,
      groupId: swapRequests.groupId,
      groupName: sql<string>`${groups.name}`.as('group_name'),
      timeZone: groups.timeZone,
      eventId: swapRequests.eventId,
      withEventId: swapRequests.withEventId,
      requestedById: swapRequests.requestedBy,
      // Aliased: D1 returns rows as arrays and drops columns of equal names.
      requestedByName: sql<string>`${users.name}`.as('requested_by_name'),
      eventDate: swapRequests.eventDate,
      withEventDate: swapRequests.withEventDate,
      withBakerId: swapRequests.withBakerId,
      status: swapRequests.status,
      createdAt: sql<string>`${swapRequests.createdAt}`.as('swap_created_at'),
      currentWithBakerId: sql<string | null>`${other.bakerId}`.as('current_with_baker_id'),
    })
    .from(swapRequests)
    .innerJoin(events, eq(events.id, swapRequests.eventId))
    .innerJoin(other, eq(other.id, swapRequests.withEventId))
    .innerJoin(groups, eq(groups.id, swapRequests.groupId))
    .innerJoin(users, eq(users.id, swapRequests.requestedBy))
    .where(and(eq(swapRequests.id, id), visibleTo(viewerId)))
    .limit(1);
}

export type SwapRow = Awaited<ReturnType<typeof swapQuery>>[number];

/** The request's group, as a subquery. */
export const groupOfSwap = (id: string): SQL =>
  sql`(select ${swapRequests.groupId} from ${swapRequests} where ${swapRequests.id} = ${id})`;

export const toSwapRequest = (row: SwapRow): SwapRequest => ({
  id: row.id,
  eventId: row.eventId,
  withEventId: row.withEventId,
  requestedBy: { id: row.requestedById, name: row.requestedByName },
  status: row.status,
  createdAt: row.createdAt,
});

/** The baker's mail address and language, for the mails of a swap. */
const bakerOf = (db: Database, userId: string) =>
  db.select({ name: users.name, email: users.email, language: users.emailLanguage }).from(users).where(eq(users.id, userId));

/**
 * Records the request while both events still have the dates and bakers it
 * was judged on, reads it back and the other baker: one batch. A second
 * pending request for the same pair violates the partial unique index (the
 * caller answers 409). No row: an event changed meanwhile.
 */
export async function recordSwapRequest(
  db: Database,
  request: {
    groupId: string;
    eventId: string;
    withEventId: string;
    requesterId: string;
    eventDate: string;
    withEventDate: string;
    withBakerId: string;
  },
) {
  const id = crypto.randomUUID();
  const r = request;
  const [, rows, recipient] = await db.batch([
    db.insert(swapRequests).select(
      sql`select ${id}, ${r.groupId}, ${r.eventId}, ${r.withEventId}, ${r.requesterId}, ${r.eventDate}, ${r.withEventDate},
          ${r.withBakerId}, 'pending', null, ${new Date().toISOString()}
        where exists (select 1 from events a where a.id = ${r.eventId} and a.baker_id = ${r.requesterId} and a.date = ${r.eventDate})
          and exists (select 1 from events b where b.id = ${r.withEventId} and b.baker_id = ${r.withBakerId} and b.date = ${r.withEventDate})`,
    ),
    swapQuery(db, r.requesterId, id),
    bakerOf(db, r.withBakerId),
  ]);
  return { row: rows[0], recipient: recipient[0] };
}

/** Both events still have the dates and bakers the request was made on. */
const unchanged = sql`exists (select 1 from events a where a.id = ${swapRequests.eventId}
    and a.date = ${swapRequests.eventDate} and a.baker_id = ${swapRequests.requestedBy})
  and exists (select 1 from events b where b.id = ${swapRequests.withEventId}
    and b.date = ${swapRequests.withEventDate} and b.baker_id = ${swapRequests.withBakerId})`;

/**
 * Ends the pending requests about this event that no longer hold (its date
 * or baker changed since they were made): for the batch of any change of
 * the event, after that change.
 */
export const cancelStaleSwaps = (db: Database, eventId: string) =>
  db
    .update(swapRequests)
    .set({ status: 'cancelled' })
    .where(
      and(
        eq(swapRequests.status, 'pending'),
        or(eq(swapRequests.eventId, eventId), eq(swapRequests.withEventId, eventId)),
        sql`not (${unchanged})`,
      ),
    );

/**
 * Accepting: one conditional UPDATE marks the request accepted only while it
 * is pending and neither event changed, and writes this acceptance's token;
 * the two dates are exchanged in the same batch only where the request
 * carries that token (both calendar entries' SEQUENCE goes up). When it did
 * not apply, a pending request is cancelled in the same batch.
 */
export async function recordSwapAcceptance(db: Database, viewerId: string, swap: SwapRow) {
  const token = crypto.randomUUID();
  const [accepted, , cancelled, rows, requester] = await db.batch([
    db
      .update(swapRequests)
      .set({ status: 'accepted', acceptToken: token })
      .where(and(eq(swapRequests.id, swap.id), eq(swapRequests.status, 'pending'), unchanged))
      .returning({ id: swapRequests.id }),
    db
      .update(events)
      .set({
        date: sql`case when ${events.id} = ${swap.eventId} then ${swap.withEventDate} else ${swap.eventDate} end`,
        sequence: sql`${events.sequence} + 1`,
      })
      .where(
        and(
          inArray(events.id, [swap.eventId, swap.withEventId]),
          sql`exists (select 1 from swap_requests s where s.id = ${swap.id} and s.accept_token = ${token})`,
        ),
      ),
    cancelStatement(db, swap.id),
    eventRowsQuery(db, viewerId, { where: inArray(events.id, [swap.eventId, swap.withEventId]) }),
    bakerOf(db, swap.requestedById),
    // Other requests about either cake were made on the old dates.
    cancelStaleSwaps(db, swap.eventId),
    cancelStaleSwaps(db, swap.withEventId),
  ]);
  // The two cakes in the request's order: the requester's, then the other baker's.
  const swapped = [swap.eventId, swap.withEventId].map((id) => rows.find((e) => e.id === id)).filter((e) => e !== undefined);
  return { accepted: accepted.length > 0, cancelled: cancelled.length > 0, events: swapped, requester: requester[0] };
}

/** Cancels the request if it is still pending. */
export const cancelStatement = (db: Database, id: string) =>
  db
    .update(swapRequests)
    .set({ status: 'cancelled' })
    .where(and(eq(swapRequests.id, id), eq(swapRequests.status, 'pending')))
    .returning({ id: swapRequests.id });

/** Declines the request if it is still pending; reads it back and the requester. */
export async function recordSwapDecline(db: Database, viewerId: string, swap: SwapRow) {
  const [declined, rows, requester] = await db.batch([
    db
      .update(swapRequests)
      .set({ status: 'declined' })
      .where(and(eq(swapRequests.id, swap.id), eq(swapRequests.status, 'pending')))
      .returning({ id: swapRequests.id }),
    swapQuery(db, viewerId, swap.id),
    bakerOf(db, swap.requestedById),
  ]);
  return { declined: declined.length > 0, row: rows[0], requester: requester[0] };
}
