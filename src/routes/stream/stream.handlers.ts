import type { RouteHandler } from '@hono/zod-openapi';
import { callerQuery } from '../../auth/caller';
import { bearerToken, claimsFrom } from '../../auth/middleware';
import type { HonoEnv } from '../../env';
import { ApiError } from '../../errors';
import { decodeCursor } from '../../live/cursor';
import { openLiveStream, type StreamSubject } from '../../live/stream';
import { issueTicket, redeemTicket } from '../../live/tickets';
import type { createTicket, openStream } from './stream.routes';

/** Query parameters that would carry a long-lived credential in a URL (logs, history, referrers). */
const CREDENTIAL_PARAMS = ['token', 'jwt', 'access_token'];

export const postTicket: RouteHandler<typeof createTicket, HonoEnv> = async (c) => {
  return c.json(await issueTicket(c.var.db, c.var.caller.id), 200);
};

export const getStream: RouteHandler<typeof openStream, HonoEnv> = async (c) => {
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
  const db = c.var.db;
  const token = bearerToken(c);
  let userId: string;
  let tokenVersion: number | null = null;
  if (token || ticket === undefined) {
    const claims = await claimsFrom(c, token);
    userId = claims.sub;
    tokenVersion = claims.tv;
  } else {
    const redeemed = await redeemTicket(db, ticket);
    if (!redeemed) throw new ApiError('invalid_token', 'The stream ticket is unknown, used or expired.');
    userId = redeemed;
  }
  const [row] = await callerQuery(db, userId);
  // A ticket stands for the session that asked for it a moment ago: it follows the current token version.
  if (!row || !row.isActive || (tokenVersion !== null && row.tokenVersion !== tokenVersion)) {
    throw new ApiError('invalid_token');
  }
  if (row.mustChangePassword) {
    throw new ApiError('password_change_required', 'Change your password before using the API.');
  }
  const groups = JSON.parse(row.groups) as { id: string }[];
  return { userId, tokenVersion: row.tokenVersion, groupIds: groups.map((g) => g.id) };
}
