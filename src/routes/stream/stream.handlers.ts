import { eq } from 'drizzle-orm';
import { memberships } from '../../db/schema';
import { callerQuery, toCaller, type CallerRow } from '../../auth/caller';
import { bearerToken, claimsFrom, claimsOf } from '../../auth/middleware';
import { ApiError } from '../../errors';
import { decodeCursor } from '../../live/cursor';
import { openLiveStream, type StreamSubject } from '../../live/stream';
import { issueTicket, redeemTicket } from '../../live/tickets';
import type { createTicket, openStream } from './stream.routes';
import type { AppRouteHandler } from '../../lib/create-router';

/** Query parameters that would carry a long-lived credential in a URL (logs, history, referrers). */
const CREDENTIAL_PARAMS = ['token', 'jwt', 'access_token'];

export const postTicket: AppRouteHandler<typeof createTicket> = async (c) => {
  // requireAuth has checked the token's version against the user's: it is the session's current one.
  return c.json(await issueTicket(c.var.db, c.var.caller.id, c.var.caller.tokenVersion), 200);
};

export const getStream: AppRouteHandler<typeof openStream> = async (c) => {
  if (CREDENTIAL_PARAMS.some((name) => c.req.query(name) !== undefined)) {
    throw new ApiError('unauthorized', 'Tokens are not accepted in the URL: send the Authorization header or use a stream ticket.');
  }
  const { ticket, lastEventId } = c.req.valid('query');
  const subject = await streamSubject(c, ticket);
  const resume = decodeCursor(c.req.header('Last-Event-ID') ?? lastEventId);
  return c.body(openLiveStream(c.env, subject, resume, c.req.raw.signal), 200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    'X-Accel-Buffering': 'no',
  }) as never;
};

/** Who the stream is for: from the Bearer token, or else from a ticket (consumed here). */
async function streamSubject(c: Parameters<typeof getStream>[0], ticket: string | undefined): Promise<StreamSubject> {
  const token = bearerToken(c);
  let row: CallerRow | undefined;
  let tokenVersion: number;
  let sessionId: string | undefined;
  if (token || ticket === undefined) {
    const claims = await claimsFrom(c, token);
    [row] = await callerQuery(c.var.db, claims.sub);
    tokenVersion = claims.tv;
    sessionId = claims.jti;
  } else {
    const redeemed = await redeemTicket(c.var.db, ticket);
    if (!redeemed) throw new ApiError('invalid_token', 'The stream ticket is unknown, used or expired.');
    // The ticket stands for the session that asked for it: it is checked against that session's token version.
    ({ row, tokenVersion } = redeemed);
  }
  const caller = toCaller(row, tokenVersion, sessionId);
  if (!caller) throw new ApiError('invalid_token');
  if (caller.mustChangePassword) {
    throw new ApiError('password_change_required', 'Change your password before using the API.');
  }
  // Nothing would ever arrive: refuse rather than hold a stream that only pings.
  if (caller.groups.length === 0) throw new ApiError('conflict', 'You belong to no group yet: there is nothing to stream.');
  const joined = await c.var.db
    .select({ groupId: memberships.groupId, joinedAt: memberships.joinedAt })
    .from(memberships)
    .where(eq(memberships.userId, caller.id));
  return {
    userId: caller.id,
    // The session's standing now: a session kept through its 2FA activation speaks for the new version.
    tokenVersion: caller.tokenVersion,
    groupIds: caller.groups.map((g) => g.id),
    joinedAt: Object.fromEntries(joined.map((m) => [m.groupId, Date.parse(m.joinedAt)])),
  };
}
