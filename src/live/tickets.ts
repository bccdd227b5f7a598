/**
 * Stream tickets: EventSource cannot send an Authorization header, so it
 * opens the stream with a one-minute, single-use ticket instead of the JWT
 * (which must never appear in a URL). Only the SHA-256 of a ticket is stored,
 * with the token version of the session that asked for it: a ticket is worth
 * no more than that session (a password change or logout everywhere ends both).
 */
import { and, eq, gt, lt } from 'drizzle-orm';
import type { Session } from '../auth/jwt';
import type { Database } from '../db/client';
import { streamTickets } from '../db/schema';
import { randomToken, sha256Hex } from '../lib/encoding';

const TICKET_TTL_MS = 60_000;

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

/**
 * Consumes a valid ticket (DELETE ... RETURNING: a second use finds nothing)
 * and returns the session it stands for: the ticket's user, at the token
 * version of the session that asked for it. The caller is then checked like
 * any other session's (src/auth/authenticate.ts).
 */
export async function redeemTicket(db: Database, ticket: string): Promise<Session | null> {
  const valid = and(eq(streamTickets.ticketHash, await sha256Hex(ticket)), gt(streamTickets.expiresAt, new Date().toISOString()));
  const [redeemed] = await db
    .delete(streamTickets)
    .where(valid)
    .returning({ userId: streamTickets.userId, tokenVersion: streamTickets.tokenVersion });
  return redeemed ?? null;
}
