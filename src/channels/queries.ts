/**
 * Channels and their delivery log: the objects the API returns and the
 * statements behind the endpoints, the fan-out and the delivery. Every
 * statement finds its rows by key or through `channels_group_idx` /
 * `channel_deliveries_channel_idx`.
 */
import { z } from '@hono/zod-openapi';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { CHANNEL_KINDS, type ChannelKind, channelDeliveries, channels, DELIVERY_STATUSES, groups } from '../db/schema';
import { Timestamp } from '../lib/openapi';
import { after } from '../lib/pagination';
import { CHANNEL_EVENTS, type ChannelEventType } from './events';
import { MAX_URL_LENGTH } from './url-rules';

export const MAX_CHANNELS_PER_GROUP = 10;
/** The delivery log keeps this many per channel, newest first. */
export const KEPT_DELIVERIES = 100;
export const DELIVERIES_PAGE = 100;
const MAX_NAME = 100;

const EventsField = z
  .array(z.enum(CHANNEL_EVENTS))
  .min(1)
  .max(CHANNEL_EVENTS.length)
  .refine((list) => new Set(list).size === list.length, 'Each event type at most once')
  .openapi({ description: 'The event types the channel receives; default all of them' });

const NameField = z.string().trim().min(1).max(MAX_NAME);

export const ChannelSchema = z
  .object({
    id: z.string(),
    groupId: z.string(),
    kind: z.enum(CHANNEL_KINDS),
    name: z.string(),
    url: z
      .string()
      .openapi({ description: 'Masked: scheme, host and the last 4 characters', example: 'https://hooks.slack.com/…x9Qz' }),
    events: z.array(z.enum(CHANNEL_EVENTS)),
    enabled: z.boolean(),
    disabledReason: z.string().nullable().openapi({ description: 'Why the API disabled it (`gone`, `failing`), or null' }),
    createdAt: Timestamp,
    lastDeliveryAt: Timestamp.nullable(),
    lastStatus: z.number().int().nullable().openapi({ description: 'HTTP status of the last attempt, or null' }),
  })
  .openapi('Channel');

export const NewChannelSchema = z
  .object({
    kind: z.enum(CHANNEL_KINDS),
    url: z.string().min(1).max(MAX_URL_LENGTH),
    events: EventsField.optional(),
    name: NameField.optional(),
  })
  .openapi('NewChannel');

export const ChannelPatchSchema = z
  .object({ events: EventsField.optional(), name: NameField.optional(), enabled: z.boolean().optional() })
  .openapi('ChannelPatch');

export const CreatedChannelSchema = ChannelSchema.extend({
  secret: z
    .string()
    .optional()
    .openapi({ description: 'The `webhook` kind’s signing secret (`whsec_…`): shown this once, never again' }),
}).openapi('CreatedChannel');

export const DeliverySchema = z
  .object({
    id: z.string().openapi({ description: 'Also the `webhook-id` (`msg_<id>`) of every attempt' }),
    event: z.string(),
    status: z.enum(DELIVERY_STATUSES),
    attempts: z.number().int(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    createdAt: Timestamp,
    deliveredAt: Timestamp.nullable(),
  })
  .openapi('Delivery');

export type ChannelView = z.infer<typeof ChannelSchema>;

const channelColumns = {
  id: channels.id,
  groupId: channels.groupId,
  kind: channels.kind,
  name: channels.name,
  url: channels.urlMasked,
  events: channels.events,
  enabled: channels.enabled,
  disabledReason: channels.disabledReason,
  createdAt: channels.createdAt,
  lastDeliveryAt: channels.lastDeliveryAt,
  lastStatus: channels.lastStatus,
};

type ChannelRow = Omit<ChannelView, 'events'> & { events: string };

export const toChannel = (row: ChannelRow): ChannelView => ({ ...row, events: JSON.parse(row.events) as ChannelEventType[] });

export const defaultName = (kind: ChannelKind) =>
  ({ slack: 'Slack', teams: 'Microsoft Teams', discord: 'Discord', webhook: 'Webhook' })[kind];

export function groupExistsQuery(db: Database, groupId: string) {
  return db.select({ id: groups.id, language: groups.language }).from(groups).where(eq(groups.id, groupId)).limit(1);
}

export function groupChannelsQuery(db: Database, groupId: string) {
  return db
    .select(channelColumns)
    .from(channels)
    .where(eq(channels.groupId, groupId))
    .orderBy(channels.createdAt, channels.id)
    .limit(MAX_CHANNELS_PER_GROUP);
}

export interface NewChannelRow {
  id: string;
  groupId: string;
  kind: ChannelKind;
  name: string;
  urlSealed: string;
  urlMasked: string;
  secretSealed: string | null;
  events: readonly ChannelEventType[];
}

/** Selected from the group's row, only while it has fewer than 10 channels: the limit holds with two requests at once. */
export function insertChannelStatement(db: Database, row: NewChannelRow) {
  const underLimit = sql`(select count(*) from channels c where c.group_id = ${row.groupId}) < ${MAX_CHANNELS_PER_GROUP}`;
  return db
    .insert(channels)
    .select((qb) =>
      qb
        .select({
          id: sql<string>`${row.id}`.as('id'),
          groupId: groups.id,
          kind: sql<ChannelKind>`${row.kind}`.as('kind'),
          name: sql<string>`${row.name}`.as('name'),
          urlSealed: sql<string>`${row.urlSealed}`.as('url_sealed'),
          urlMasked: sql<string>`${row.urlMasked}`.as('url_masked'),
          secretSealed: sql<string | null>`${row.secretSealed}`.as('secret_sealed'),
          events: sql<string>`${JSON.stringify(row.events)}`.as('events'),
          enabled: sql<boolean>`1`.as('enabled'),
          disabledReason: sql<string | null>`null`.as('disabled_reason'),
          failureStreak: sql<number>`0`.as('failure_streak'),
          lastDeliveryAt: sql<string | null>`null`.as('last_delivery_at'),
          lastStatus: sql<number | null>`null`.as('last_status'),
          createdAt: sql<string>`${new Date().toISOString()}`.as('created_at'),
        })
        .from(groups)
        .where(and(eq(groups.id, row.groupId), underLimit)),
    )
    .returning(channelColumns);
}

/** One channel with its group's language (for test messages). */
export function channelQuery(db: Database, id: string) {
  return db
    .select({ ...channelColumns, language: groups.language })
    .from(channels)
    .innerJoin(groups, eq(groups.id, channels.groupId))
    .where(eq(channels.id, id))
    .limit(1);
}

export function updateChannelStatement(
  db: Database,
  id: string,
  patch: { events?: readonly ChannelEventType[]; name?: string; enabled?: boolean },
) {
  return db
    .update(channels)
    .set({
      ...(patch.events ? { events: JSON.stringify(patch.events) } : {}),
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      // Enabling again clears the reason and the streak: the next failure counts from 1.
      ...(patch.enabled === true ? { enabled: true, disabledReason: null, failureStreak: 0 } : {}),
      ...(patch.enabled === false ? { enabled: false, disabledReason: null } : {}),
    })
    .where(eq(channels.id, id))
    .returning(channelColumns);
}

export function deleteChannelStatement(db: Database, id: string) {
  return db.delete(channels).where(eq(channels.id, id)).returning({ id: channels.id });
}

const deliveryColumns = {
  id: channelDeliveries.id,
  event: channelDeliveries.event,
  status: channelDeliveries.status,
  attempts: channelDeliveries.attempts,
  lastStatusCode: channelDeliveries.lastStatusCode,
  lastError: channelDeliveries.lastError,
  createdAt: channelDeliveries.createdAt,
  deliveredAt: channelDeliveries.deliveredAt,
};

const deliveryOrder = [channelDeliveries.createdAt, channelDeliveries.id] as const;

export function deliveriesPageQuery(db: Database, channelId: string, key: readonly [string, string] | undefined, limit: number) {
  return db
    .select(deliveryColumns)
    .from(channelDeliveries)
    .where(and(eq(channelDeliveries.channelId, channelId), key ? after(deliveryOrder, key, true) : undefined))
    .orderBy(...deliveryOrder.map((c) => desc(c)))
    .limit(limit);
}

export function deliveryQuery(db: Database, channelId: string, deliveryId: string) {
  return db
    .select(deliveryColumns)
    .from(channelDeliveries)
    .where(and(eq(channelDeliveries.id, deliveryId), eq(channelDeliveries.channelId, channelId)))
    .limit(1);
}

/** A manual retry: a failed or dead delivery becomes pending again (its id, and so its `webhook-id`, stays). */
export function reopenDeliveryStatement(db: Database, channelId: string, deliveryId: string) {
  return db
    .update(channelDeliveries)
    .set({ status: 'pending' })
    .where(
      and(
        eq(channelDeliveries.id, deliveryId),
        eq(channelDeliveries.channelId, channelId),
        sql`${channelDeliveries.status} in ('failed', 'dead')`,
      ),
    )
    .returning({ id: channelDeliveries.id });
}

/**
 * A new delivery; with `claim`, only while that claim of a once-only
 * message is held by this run (src/channels/fan-out.ts).
 */
export function insertDeliveryStatement(
  db: Database,
  row: { id: string; channelId: string; event: string; body: string; createdAt: string },
  claim?: { key: string; run: string },
) {
  const held = claim
    ? sql`exists (select 1 from channel_dispatches d where d.key = ${claim.key} and d.run = ${claim.run})`
    : sql`1`;
  return db
    .insert(channelDeliveries)
    .select((qb) =>
      qb
        .select({
          id: sql<string>`${row.id}`.as('id'),
          channelId: channels.id,
          event: sql<string>`${row.event}`.as('event'),
          body: sql<string>`${row.body}`.as('body'),
          status: sql<'pending'>`'pending'`.as('status'),
          attempts: sql<number>`0`.as('attempts'),
          lastStatusCode: sql<number | null>`null`.as('last_status_code'),
          lastError: sql<string | null>`null`.as('last_error'),
          createdAt: sql<string>`${row.createdAt}`.as('created_at'),
          deliveredAt: sql<string | null>`null`.as('delivered_at'),
        })
        .from(channels)
        .where(and(eq(channels.id, row.channelId), held)),
    )
    .onConflictDoNothing();
}

/** Keeps a channel's newest 100 deliveries. */
export function trimDeliveriesStatement(db: Database, channelId: string) {
  return db.delete(channelDeliveries).where(
    and(
      eq(channelDeliveries.channelId, channelId),
      sql`${channelDeliveries.id} in (select k.id from channel_deliveries k where k.channel_id = ${channelId}
        order by k.created_at desc, k.id desc limit -1 offset ${KEPT_DELIVERIES})`,
    ),
  );
}
