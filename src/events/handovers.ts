/**
 * Hand-overs: a baker offers an upcoming cake to the group, another member
 * takes it (and becomes its baker), or the offerer withdraws it. An offer
 * ends by itself when the event is deleted (FK) or its date comes: an open
 * offer whose date is today or earlier in the group's time zone reads
 * `expired` in every answer and cannot be taken.
 *
 * The cake ledger (src/planning/ledger.ts) charges the baker an event has
 * when its date comes. Only upcoming events change hands, so a take never
 * touches a cake the ledger has already counted.
 */
import { z } from '@hono/zod-openapi';
import { and, asc, eq, gte, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Database } from '../db/client';
import { events, groups, handovers, memberships, users } from '../db/schema';
import { addDays, isUpcoming } from '../lib/time';
import { visibleTo } from '../policy';
import type { Recipient } from './creation';
import { eventRowsQuery } from './queries';
import { cancelStaleSwaps } from './swaps';

/** An open list holds at most this many offers (the earliest first): a group has few upcoming cakes. */
export const MAX_OPEN_HANDOVERS = 100;
const MAX_HANDOVER_MESSAGE = 500;

const PersonSchema = z.object({ id: z.string(), name: z.string() });

export const HandoverSchema = z
  .object({
    id: z.string(),
    eventId: z.string(),
    groupId: z.string(),
    date: z.string().openapi({ format: 'date' }),
    offeredBy: PersonSchema,
    message: z.string(),
    status: z.enum(['open', 'taken', 'withdrawn', 'expired']).openapi({
      description: '`expired`: still open when the date came (today or earlier in the group’s time zone); it cannot be taken.',
    }),
    takenBy: PersonSchema.nullable(),
    createdAt: z.string(),
  })
  .openapi('Handover');
export type Handover = z.infer<typeof HandoverSchema>;

export const NewHandoverSchema = z
  .object({
    message: z.string().max(MAX_HANDOVER_MESSAGE, `At most ${MAX_HANDOVER_MESSAGE} characters`).optional(),
  })
  .openapi('NewHandover');

const taker = alias(users, 'taker');

/** Everything a Handover shows, and what taking or withdrawing it is judged on. */
const handoverColumns = (viewerId: string) => ({
  id: handovers.id,
  eventId: handovers.eventId,
  groupId: handovers.groupId,
  // Aliased: D1 returns rows as arrays and drops columns of equal names.
  date: sql<string>`${events.date}`.as('event_date'),
  timeZone: groups.timeZone,
  groupName: sql<string>`${groups.name}`.as('group_name'),
  bakerId: events.bakerId,
  coverPhotoKey: events.coverPhotoKey,
  offeredById: handovers.offeredBy,
  offeredByName: sql<string>`${users.name}`.as('offered_by_name'),
  message: handovers.message,
  status: handovers.status,
  takenById: handovers.takenBy,
  takenByName: sql<string | null>`${taker.name}`.as('taken_by_name'),
  createdAt: sql<string>`${handovers.createdAt}`.as('handover_created_at'),
  /** The viewer is away on the event's date (an absence in this group or every group). */
  viewerAway: sql<number>`exists (select 1 from absences a where a.user_id = ${viewerId}
    and (a.group_id is null or a.group_id = ${handovers.groupId})
    and a.to_date >= ${events.date} and a.from_date <= ${events.date})`.as('viewer_away'),
});

function handoverRows(db: Database, viewerId: string) {
  return db
    .select(handoverColumns(viewerId))
    .from(handovers)
    .innerJoin(events, eq(events.id, handovers.eventId))
    .innerJoin(groups, eq(groups.id, handovers.groupId))
    .innerJoin(users, eq(users.id, handovers.offeredBy))
    .leftJoin(taker, eq(taker.id, handovers.takenBy));
}

/** One hand-over as the viewer may see it (its event visible to them), or no row. */
export const handoverQuery = (db: Database, viewerId: string, id: string) =>
  handoverRows(db, viewerId)
    .where(and(eq(handovers.id, id), visibleTo(viewerId)))
    .limit(1);

export type HandoverRow = Awaited<ReturnType<typeof handoverQuery>>[number];

/** The offer's group, as a subquery. */
export const groupOfHandover = (id: string): SQL =>
  sql`(select ${handovers.groupId} from ${handovers} where ${handovers.id} = ${id})`;

/**
 * Who a one-click link was sent to (a hand-over's "take it", a swap
 * request's answers), while their account is active and they are a member
 * of `groupId` (a subquery: the offer's or the request's group): their name
 * and mail language. Being a global admin is not enough, as in the API.
 */
export const linkRecipientQuery = (db: Database, userId: string, groupId: SQL) =>
  db
    .select({ name: users.name, language: users.emailLanguage })
    .from(users)
    .where(
      and(
        eq(users.id, userId),
        eq(users.isActive, true),
        sql`exists (select 1 from ${memberships} where ${memberships.userId} = ${users.id} and ${memberships.groupId} = ${groupId})`,
      ),
    )
    .limit(1);

/**
 * A group's open offers, earliest first, off the partial index. Offers whose
 * date has come anywhere (before the earliest today on earth) are left out
 * here; `openOnly` drops the ones whose date came in the group's zone.
 */
export const openHandoversQuery = (db: Database, viewerId: string, groupId: string) =>
  handoverRows(db, viewerId)
    .where(
      and(
        eq(handovers.groupId, groupId),
        eq(handovers.status, 'open'),
        gte(events.date, addDays(new Date().toISOString().slice(0, 10), -1)),
      ),
    )
    .orderBy(asc(handovers.createdAt), asc(handovers.id))
    .limit(MAX_OPEN_HANDOVERS);

export type HandoverStatus = Handover['status'];

/** The stored status, or `expired` for an open offer whose date has come in the group's time zone. */
export const statusOf = (row: Pick<HandoverRow, 'status' | 'date' | 'timeZone'>, now?: Date): HandoverStatus =>
  row.status === 'open' && !isUpcoming(row.date, row.timeZone, now) ? 'expired' : row.status;

export function toHandover(row: HandoverRow): Handover {
  return {
    id: row.id,
    eventId: row.eventId,
    groupId: row.groupId,
    date: row.date,
    offeredBy: { id: row.offeredById, name: row.offeredByName },
    message: row.message,
    status: statusOf(row),
    takenBy: row.takenById ? { id: row.takenById, name: row.takenByName ?? '' } : null,
    createdAt: row.createdAt,
  };
}

/** The open offers as the list shows them: those whose date came in the group's zone are over. */
export const openOnly = (rows: HandoverRow[]) => rows.filter((r) => statusOf(r) === 'open').map(toHandover);

/**
 * Records the offer while the offerer still bakes the event on the date it
 * was judged on, reads it back and the group's other active members to
 * tell: one batch. A second open offer for the event violates the partial
 * unique index (the caller answers 409). No row: the event changed meanwhile.
 */
export async function recordOffer(
  db: Database,
  offer: { eventId: string; groupId: string; judgedDate: string; offererId: string; message: string },
) {
  const id = crypto.randomUUID();
  const [, rows, recipients] = await db.batch([
    db.insert(handovers).select(
      sql`select ${id}, ${events.id}, ${events.groupId}, ${offer.offererId}, ${offer.message}, 'open', null, null, ${new Date().toISOString()}
        from ${events} where ${events.id} = ${offer.eventId} and ${events.bakerId} = ${offer.offererId} and ${events.date} = ${offer.judgedDate}`,
    ),
    handoverQuery(db, offer.offererId, id),
    db
      .select({ id: users.id, email: users.email, language: users.emailLanguage })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.groupId, offer.groupId), sql`${users.id} <> ${offer.offererId}`, eq(users.isActive, true))),
  ]);
  return { row: rows[0], recipients: recipients as (Recipient & { id: string })[] };
}

/**
 * Taking an offer: one conditional UPDATE marks it taken only while it is
 * open and its event still has the offerer as baker and the date judged on,
 * and writes this take's own token; the event changes hands in the same
 * batch only where the offer carries that token. Of many takes at once,
 * exactly one finds the offer open. The new baker starts afresh: no
 * description, cover photo or dietary statement, and the calendar entry's
 * SEQUENCE goes up.
 */
export async function recordTake(
  db: Database,
  take: { handoverId: string; eventId: string; judgedDate: string; takerId: string },
) {
  const token = crypto.randomUUID();
  const [won, , rows, after, offerer] = await db.batch([
    db
      .update(handovers)
      .set({ status: 'taken', takenBy: take.takerId, takeToken: token })
      .where(
        and(
          eq(handovers.id, take.handoverId),
          eq(handovers.status, 'open'),
          sql`exists (select 1 from events te where te.id = ${handovers.eventId}
            and te.baker_id = ${handovers.offeredBy} and te.date = ${take.judgedDate})`,
        ),
      )
      .returning({ id: handovers.id }),
    db
      .update(events)
      .set({
        bakerId: take.takerId,
        description: '',
        coverPhotoKey: null,
        allergens: null,
        suitableFor: 0,
        sequence: sql`${events.sequence} + 1`,
      })
      .where(
        and(
          eq(events.id, take.eventId),
          sql`exists (select 1 from handovers th where th.id = ${take.handoverId} and th.take_token = ${token})`,
        ),
      ),
    eventRowsQuery(db, take.takerId, { where: eq(events.id, take.eventId) }),
    handoverQuery(db, take.takerId, take.handoverId),
    db
      .select({ name: users.name, email: users.email, language: users.emailLanguage })
      .from(handovers)
      .innerJoin(users, eq(users.id, handovers.offeredBy))
      .where(eq(handovers.id, take.handoverId)),
    // Swap requests about the cake were made with its former baker.
    cancelStaleSwaps(db, take.eventId),
  ]);
  return { won: won.length > 0, event: rows[0], handover: after[0], offerer: offerer[0] };
}

/** Withdraws the offer while it is open; reads it back. No row in `withdrawn`: it had ended meanwhile. */
export async function recordWithdrawal(db: Database, viewerId: string, handoverId: string) {
  const [withdrawn, rows] = await db.batch([
    db
      .update(handovers)
      .set({ status: 'withdrawn' })
      .where(and(eq(handovers.id, handoverId), eq(handovers.status, 'open')))
      .returning({ id: handovers.id }),
    handoverQuery(db, viewerId, handoverId),
  ]);
  return { withdrawn: withdrawn.length > 0, row: rows[0] };
}
