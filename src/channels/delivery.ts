/**
 * One attempt of one delivery. The URL is opened from its sealed form and
 * checked against the URL rules again; the request does not follow
 * redirects, gives up after 10 s, and reads at most 64 KiB of the answer
 * (of which at most 200 characters are kept, in the log's error). A generic
 * delivery is signed anew for each attempt: the same `webhook-id`, a fresh
 * `webhook-timestamp`.
 *
 * 2xx: delivered. 410: the channel is disabled at once. Anything else is a
 * failure: retried on the schedule of src/channels/retry.ts, dead after the
 * last attempt (and dead-lettered by the queue); the 20th failed delivery
 * in a row disables the channel and mails the group's admins. Neither the
 * URL nor the secret is ever logged.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { channelDeliveries, channels, memberships, users } from '../db/schema';
import type { Bindings } from '../env';
import { type OutgoingMail, queueMail } from '../mail';
import { parseRetryAfter, retryDelay } from './retry';
import { unseal } from './sealing';
import { signatureHeaders } from './signing';
import { checkChannelUrl } from './url-rules';

const TIMEOUT_MS = 10_000;
const MAX_RESPONSE_BYTES = 64 * 1024;
const FAILURES_TO_DISABLE = 20;
const KEPT_ERROR_CHARS = 200;

/** What the queue is told: done (ack), again after a delay, or dead-letter (retry past the last). */
export type AttemptOutcome = { ack: true } | { ack: false; delaySeconds: number } | { ack: false; deadLetter: true };

function attemptQuery(db: Database, deliveryId: string) {
  return db
    .select({
      id: channelDeliveries.id,
      status: channelDeliveries.status,
      body: channelDeliveries.body,
      channelId: channels.id,
      groupId: channels.groupId,
      kind: channels.kind,
      urlSealed: channels.urlSealed,
      secretSealed: channels.secretSealed,
      enabled: channels.enabled,
    })
    .from(channelDeliveries)
    .innerJoin(channels, eq(channels.id, channelDeliveries.channelId))
    .where(eq(channelDeliveries.id, deliveryId))
    .limit(1);
}

interface Response_ {
  status: number | null;
  retryAfter: number | null;
  error: string | null;
}

/** Reads at most MAX_RESPONSE_BYTES of the answer, then lets go of it. */
async function readCapped(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < MAX_RESPONSE_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  const bytes = new Uint8Array(Math.min(size, MAX_RESPONSE_BYTES));
  let offset = 0;
  for (const chunk of chunks) {
    const part = chunk.subarray(0, bytes.length - offset);
    bytes.set(part, offset);
    offset += part.length;
    if (offset >= bytes.length) break;
  }
  return new TextDecoder().decode(bytes);
}

async function send(url: string, body: string, headers: Record<string, string>): Promise<Response_> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      body,
      headers: { 'Content-Type': 'application/json', 'User-Agent': 'CakePlanner-Channels/1', ...headers },
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const text = await readCapped(response);
    const ok = response.status >= 200 && response.status < 300;
    const error = ok
      ? null
      : response.status >= 300 && response.status < 400
        ? `Redirect ${response.status} not followed`
        : `HTTP ${response.status}${text ? `: ${text.replace(/\s+/g, ' ').slice(0, KEPT_ERROR_CHARS)}` : ''}`;
    return { status: response.status, retryAfter: parseRetryAfter(response.headers.get('Retry-After')), error };
  } catch (error) {
    const name = error instanceof Error ? error.name : 'Error';
    return { status: null, retryAfter: null, error: name === 'TimeoutError' ? 'Timed out after 10 s' : 'Connection failed' };
  }
}

const closeDelivery = (db: Database, id: string, status: 'dead' | 'delivered', error: string | null) =>
  db.update(channelDeliveries).set({ status, lastError: error }).where(eq(channelDeliveries.id, id));

function adminsQuery(db: Database, groupId: string) {
  return db
    .select({
      email: users.email,
      name: users.name,
      language: users.emailLanguage,
      // Aliased: in a batch, rows come back keyed by column name, and users.name would shadow groups.name.
      groupName: sql<string>`(select g.name from groups g where g.id = ${groupId})`.as('group_name'),
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.groupId, groupId), eq(memberships.role, 'admin'), eq(users.isActive, true)));
}

/** One attempt of `deliveryId`; `attempt` is the queue message's attempt (1-based). */
export async function attemptDelivery(
  env: Bindings,
  db: Database,
  deliveryId: string,
  attempt: number,
  now = Date.now(),
): Promise<AttemptOutcome> {
  const [row] = await attemptQuery(db, deliveryId);
  // Trimmed from the log, its channel deleted, or settled by another attempt: nothing to do.
  if (!row || row.status === 'delivered' || row.status === 'dead') return { ack: true };
  if (!row.enabled) {
    await closeDelivery(db, row.id, 'dead', 'The channel is disabled');
    return { ack: true };
  }
  let url: string;
  let secret: string | null;
  try {
    url = await unseal(env.JWT_SECRET, row.channelId, 'url', row.urlSealed);
    secret = row.secretSealed ? await unseal(env.JWT_SECRET, row.channelId, 'secret', row.secretSealed) : null;
  } catch {
    // Sealed under another JWT_SECRET (rotated since): the channel has to be connected again.
    await closeDelivery(db, row.id, 'dead', 'The channel’s URL cannot be opened any more; connect the channel again');
    return { ack: true };
  }
  const verdict = checkChannelUrl(row.kind, url, env);
  if (!verdict.ok) {
    await closeDelivery(db, row.id, 'dead', `URL refused: ${verdict.reason}`);
    return { ack: true };
  }
  const headers = secret ? await signatureHeaders(secret, `msg_${row.id}`, row.body, now) : {};
  const result = await send(url, row.body, headers);
  const at = new Date(now).toISOString();
  const tried = {
    attempts: sql`${channelDeliveries.attempts} + 1`,
    lastStatusCode: result.status,
    lastError: result.error,
  };
  const seen = { lastDeliveryAt: at, lastStatus: result.status };

  if (result.status !== null && result.status >= 200 && result.status < 300) {
    await db.batch([
      db
        .update(channelDeliveries)
        .set({ ...tried, status: 'delivered', deliveredAt: at })
        .where(eq(channelDeliveries.id, row.id)),
      db
        .update(channels)
        .set({ ...seen, failureStreak: 0 })
        .where(eq(channels.id, row.channelId)),
    ]);
    return { ack: true };
  }
  if (result.status === 410) {
    await db.batch([
      db
        .update(channelDeliveries)
        .set({ ...tried, status: 'dead' })
        .where(eq(channelDeliveries.id, row.id)),
      db
        .update(channels)
        .set({ ...seen, enabled: false, disabledReason: 'gone' })
        .where(eq(channels.id, row.channelId)),
    ]);
    return { ack: true };
  }

  const delay = retryDelay(attempt, result.retryAfter);
  // A delivery counts once towards the streak: at its first failure (or the first after a manual retry).
  const counts = row.status === 'pending' ? 1 : 0;
  const [, , disabled, admins] = await db.batch([
    db
      .update(channelDeliveries)
      .set({ ...tried, status: delay === null ? 'dead' : 'failed' })
      .where(eq(channelDeliveries.id, row.id)),
    db
      .update(channels)
      .set({ ...seen, failureStreak: sql`${channels.failureStreak} + ${counts}` })
      .where(eq(channels.id, row.channelId)),
    db
      .update(channels)
      .set({ enabled: false, disabledReason: 'failing' })
      .where(
        and(eq(channels.id, row.channelId), eq(channels.enabled, true), sql`${channels.failureStreak} >= ${FAILURES_TO_DISABLE}`),
      )
      .returning({ name: channels.name }),
    adminsQuery(db, row.groupId),
  ]);
  if (disabled[0]) {
    const mails: OutgoingMail<'channel_disabled'>[] = admins.map((a) => ({
      to: a.email,
      template: 'channel_disabled',
      language: a.language,
      data: { name: a.name, groupName: a.groupName, channelName: disabled[0]!.name, failures: FAILURES_TO_DISABLE },
    }));
    await queueMail(env, mails);
    await closeDelivery(db, row.id, 'dead', result.error);
    return { ack: true };
  }
  return delay === null ? { ack: false, deadLetter: true } : { ack: false, delaySeconds: delay };
}
