/**
 * Stream tickets: EventSource cannot send an Authorization header, so it
 * opens the stream with a one-minute, single-use ticket instead of the JWT
 * (which must never appear in a URL). Only the SHA-256 of a ticket is stored,
 * with the token version of the session that asked for it: a ticket is worth
 * no more than that session (a password change or logout everywhere ends both).
 */
import { and, eq, gt, inArray, lt, type SQL } from 'drizzle-orm';
import { callerQuery, type CallerRow } from '../auth/caller';
import type { Database } from '../db/client';
import { streamTickets, users } from '../db/schema';
import { randomToken, sha256Hex } from '../lib/encoding';

export const TICKET_TTL_MS = 60_000;

export async function issueTicket(
  db: Database,
  userId: string,
  tokenVersion: number,
): Promise<{ ticket: string; expiresAt: string }> {
  const ticket = randomToken(32);
  const now = new Date();
  const expiresAt = new Date(now.getTime() + TICKET_TTL_MS).toISOString();
  await db.batch([
    // Expired tickets are swept here, so the table never grows beyond a minute of tickets.
    db.delete(streamTickets).where(lt(streamTickets.expiresAt, now.toISOString())),
    db.insert(streamTickets).values({ ticketHash: await sha256Hex(ticket), userId, tokenVersion, expiresAt }),
  ]);
  return { ticket, expiresAt };
}

export interface RedeemedTicket {
  /** The ticket user's caller row as it is now (for `toCaller`). */
  row: CallerRow | undefined;
  /** The token version of the session that asked for the ticket. */
  tokenVersion: number;
}

/**
 * Consumes a valid ticket and reads its user in one round trip: one batch
 * (one transaction) that reads the caller row through the ticket, then
 * deletes the ticket (DELETE ... RETURNING), so a second use finds nothing.
 */
export async function redeemTicket(db: Database, ticket: string): Promise<RedeemedTicket | null> {
  const valid = and(eq(streamTickets.ticketHash, await sha256Hex(ticket)), gt(streamTickets.expiresAt, new Date().toISOString()))!;
  const [rows, redeemed] = await db.batch([
    callerOfTicket(db, valid),
    db.delete(streamTickets).where(valid).returning({ userId: streamTickets.userId, tokenVersion: streamTickets.tokenVersion }),
  ]);
  const [ticketRow] = redeemed;
  if (!ticketRow) return null;
  return { row: rows.find((r) => r.id === ticketRow.userId), tokenVersion: ticketRow.tokenVersion };
}

/** `callerQuery` keyed by the ticket rather than by a user id, which only the ticket row knows. */
function callerOfTicket(db: Database, valid: SQL) {
  const ticketUser = db.select({ id: streamTickets.userId }).from(streamTickets).where(valid);
  return callerQuery(db, inArray(users.id, ticketUser));
}
