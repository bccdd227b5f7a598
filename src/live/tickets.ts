/**
 * Stream tickets: EventSource cannot send an Authorization header, so it
 * opens the stream with a one-minute, single-use ticket instead of the JWT
 * (which must never appear in a URL). Only the SHA-256 of a ticket is stored.
 */
import { and, eq, gt, lt } from 'drizzle-orm';
import type { Database } from '../db/client';
import { streamTickets } from '../db/schema';
import { randomToken, sha256Hex } from '../lib/encoding';

export const TICKET_TTL_MS = 60_000;

export async function issueTicket(db: Database, userId: string): Promise<{ ticket: string; expiresAt: string }> {
  const ticket = randomToken(32);
  const now = new Date();
  const expiresAt = new Date(now.getTime() + TICKET_TTL_MS).toISOString();
  await db.batch([
    // Expired tickets are swept here, so the table never grows beyond a minute of tickets.
    db.delete(streamTickets).where(lt(streamTickets.expiresAt, now.toISOString())),
    db.insert(streamTickets).values({ ticketHash: await sha256Hex(ticket), userId, expiresAt }),
  ]);
  return { ticket, expiresAt };
}

/** The user of a valid ticket, consuming it in the same statement (DELETE ... RETURNING): a second use finds nothing. */
export async function redeemTicket(db: Database, ticket: string): Promise<string | null> {
  const [row] = await db
    .delete(streamTickets)
    .where(and(eq(streamTickets.ticketHash, await sha256Hex(ticket)), gt(streamTickets.expiresAt, new Date().toISOString())))
    .returning({ userId: streamTickets.userId });
  return row?.userId ?? null;
}
