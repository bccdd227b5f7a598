/**
 * The consumer's first step: one announced message becomes one delivery per
 * enabled channel of the group that listens to its type, rendered once and
 * stored, then one queue job per delivery.
 *
 * Idempotent per queue message: a delivery's id is derived from the queue
 * message's id and the channel, so a fan-out retried by the queue writes
 * nothing twice. Once-only messages (the daily ones, `cake.rated` per hour)
 * are claimed in `channel_dispatches` under the queue message's id, in the
 * same batch as their deliveries, which are written only where that claim
 * is this run's: a second daily run (another queue message) sends nothing.
 */
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { channelDispatches, channels, events, groups } from '../db/schema';
import type { Bindings } from '../env';
import { bakerNameOf } from '../events/queries';
import type { CakeJob, DeliverJob } from './announce';
import type { ChannelMessage } from './events';
import { insertDeliveryStatement, trimDeliveriesStatement } from './queries';
import { renderMessage } from './render';

/** A once-only message's key; `window`: the claim may be taken again after that many ms (`cake.rated`: an hour). */
export interface Once {
  key: string;
  windowMs?: number;
}

const RATED_WINDOW_MS = 60 * 60 * 1000;

/** A uuid-shaped id from the queue message and the channel: the same on every retry of that message. */
async function deliveryId(run: string, channelId: string): Promise<string> {
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${run}\u0000${channelId}`)));
  const hex = [...hash.slice(0, 16)].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function listeningChannelsQuery(db: Database, groupId: string) {
  return db
    .select({ id: channels.id, kind: channels.kind, events: channels.events, enabled: channels.enabled })
    .from(channels)
    .where(eq(channels.groupId, groupId))
    .orderBy(channels.createdAt, channels.id);
}

function groupLanguageQuery(db: Database, groupId: string) {
  return db.select({ language: groups.language }).from(groups).where(eq(groups.id, groupId)).limit(1);
}

/** Takes the claim for this run: new, held by this run already (a retry), or (with a window) expired. */
function claimStatement(db: Database, once: Once, run: string, now: number) {
  const expired = once.windowMs ? new Date(now - once.windowMs).toISOString() : '';
  return db
    .insert(channelDispatches)
    .values({ key: once.key, run, createdAt: new Date(now).toISOString() })
    .onConflictDoUpdate({
      target: channelDispatches.key,
      set: { run: sql`excluded.run`, createdAt: sql`excluded.created_at` },
      setWhere: sql`${channelDispatches.run} = excluded.run or ${channelDispatches.createdAt} < ${expired}`,
    });
}

const heldQuery = (db: Database, once: Once, run: string) =>
  db
    .select({ key: channelDispatches.key })
    .from(channelDispatches)
    .where(sql`${channelDispatches.key} = ${once.key} and ${channelDispatches.run} = ${run}`);

/** Writes the deliveries of `message` and queues them; returns how many. */
export async function fanOut(
  env: Bindings,
  db: Database,
  message: ChannelMessage,
  origin: string,
  run: string,
  once?: Once,
  now = Date.now(),
): Promise<number> {
  const [group, listening] = await db.batch([
    groupLanguageQuery(db, message.groupId),
    listeningChannelsQuery(db, message.groupId),
  ]);
  const language = group[0]?.language;
  if (!language) return 0;
  const targets = listening.filter((c) => c.enabled && (JSON.parse(c.events) as string[]).includes(message.type));
  if (targets.length === 0) return 0;
  const createdAt = new Date(now).toISOString();
  const rows = await Promise.all(
    targets.map(async (c) => ({
      id: await deliveryId(run, c.id),
      channelId: c.id,
      event: message.type,
      body: renderMessage(c.kind, message, { language, origin }),
      createdAt,
    })),
  );
  const claim = once ? { key: once.key, run } : undefined;
  const writes = [
    ...rows.map((row) => insertDeliveryStatement(db, row, claim)),
    ...rows.map((row) => trimDeliveriesStatement(db, row.channelId)),
  ];
  if (once) {
    const results = await db.batch([claimStatement(db, once, run, now), ...writes, heldQuery(db, once, run)]);
    if ((results.at(-1) as unknown[]).length === 0) return 0;
  } else {
    const [first, ...more] = writes;
    await db.batch([first!, ...more]);
  }
  await env.CHANNEL_QUEUE.sendBatch(rows.map((row): { body: DeliverJob } => ({ body: { kind: 'deliver', deliveryId: row.id } })));
  return rows.length;
}

function cakeFactsQuery(db: Database, eventId: string) {
  return db
    .select({
      eventId: events.id,
      date: events.date,
      description: events.description,
      bakerName: bakerNameOf(events.bakerId),
      ratingCount: events.ratingCount,
      ratingSum: events.ratingSum,
    })
    .from(events)
    .where(eq(events.id, eventId))
    .limit(1);
}

/** A cake job: what the cake shows now (a deleted one: what the request knew), then the fan-out. */
export async function fanOutCake(env: Bindings, db: Database, job: CakeJob, run: string, now = Date.now()): Promise<number> {
  const [[row], baker] = await db.batch([
    cakeFactsQuery(db, job.eventId),
    db.select({ name: bakerNameOf(sql`${job.gone?.bakerId ?? null}`) }).from(sql`(select 1)`),
  ]);
  const base = { groupId: job.groupId, at: job.at };
  let message: ChannelMessage;
  if (job.type === 'cake.deleted') {
    if (!job.gone) return 0;
    message = {
      ...base,
      type: job.type,
      cake: { eventId: job.eventId, date: job.gone.date, bakerName: baker[0]!.name, description: '' },
    };
  } else {
    // Gone before its message went out: nothing to tell about it any more.
    if (!row) return 0;
    const cake = { eventId: row.eventId, date: row.date, bakerName: row.bakerName, description: row.description };
    message =
      job.type === 'cake.rated'
        ? {
            ...base,
            type: job.type,
            cake,
            rating: {
              average: row.ratingCount ? Math.round((row.ratingSum / row.ratingCount) * 10) / 10 : 0,
              count: row.ratingCount,
            },
          }
        : { ...base, type: job.type, cake };
  }
  const once = job.type === 'cake.rated' ? { key: `cake.rated:${job.eventId}`, windowMs: RATED_WINDOW_MS } : undefined;
  return fanOut(env, db, message, job.origin, run, once, now);
}
