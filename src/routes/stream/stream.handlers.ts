import { eq } from 'drizzle-orm';
import { memberships } from '../../db/schema';
import { ApiError } from '../../errors';
import type { AppRouteHandler } from '../../lib/create-router';
import { decodeCursor } from '../../live/cursor';
import { openLiveStream } from '../../live/stream';
import { issueTicket } from '../../live/tickets';
import type * as routes from './stream.routes';

export const createStreamTicket: AppRouteHandler<typeof routes.createStreamTicket> = async (c) => {
  // The check compared the token's version with the user's: it is the session's current one.
  const [caller] = await c.var.auth.check();
  return c.json(await issueTicket(c.var.db, caller.id, caller.tokenVersion), 200);
};

export const openStream: AppRouteHandler<typeof routes.openStream> = async (c) => {
  const { lastEventId } = c.req.valid('query');
  // Who the stream is for, with the groups they joined and when (a replay never reaches back before that).
  const [caller, joined] = await c.var.auth.check((me) => [
    c.var.db
      .select({ groupId: memberships.groupId, joinedAt: memberships.joinedAt })
      .from(memberships)
      .where(eq(memberships.userId, me)),
  ]);
  // Nothing would ever arrive: refuse rather than hold a stream that only pings.
  if (caller.groups.length === 0) throw new ApiError('conflict', 'You belong to no group yet: there is nothing to stream.');
  const subject = {
    userId: caller.id,
    // The session's standing now: a session kept through its 2FA activation speaks for the new version.
    tokenVersion: caller.tokenVersion,
    groupIds: caller.groups.map((g) => g.id),
    joinedAt: Object.fromEntries(joined.map((m) => [m.groupId, Date.parse(m.joinedAt)])),
  };
  const resume = decodeCursor(c.req.header('Last-Event-ID') ?? lastEventId);
  return c.body(openLiveStream(c.env, subject, resume, c.req.raw.signal), 200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    'X-Accel-Buffering': 'no',
  }) as never;
};
