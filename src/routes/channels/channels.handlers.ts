import { z } from '@hono/zod-openapi';
import type { DeliverJob } from '../../channels/announce';
import { CHANNEL_EVENTS } from '../../channels/events';
import {
  channelQuery,
  DELIVERIES_PAGE,
  defaultName,
  deleteChannelStatement,
  deliveriesPageQuery,
  deliveryQuery,
  groupChannelsQuery,
  groupExistsQuery,
  insertChannelStatement,
  insertDeliveryStatement,
  MAX_CHANNELS_PER_GROUP,
  reopenDeliveryStatement,
  toChannel,
  trimDeliveriesStatement,
  updateChannelStatement,
} from '../../channels/queries';
import { renderMessage } from '../../channels/render';
import { seal } from '../../channels/sealing';
import { newSigningSecret } from '../../channels/signing';
import { checkChannelUrl, maskUrl } from '../../channels/url-rules';
import type { AppContext } from '../../env';
import { ApiError, invalidField } from '../../errors';
import type { AppRouteHandler } from '../../lib/create-router';
import { decodeCursor, pageOf } from '../../lib/pagination';
import { publicUrl } from '../../lib/public-url';
import { requireChannelManager } from '../../policy';
import type * as routes from './channels.routes';

const groupNotFound = () => new ApiError('not_found', 'No such group.');
const channelNotFound = () => new ApiError('not_found', 'No such channel.');
const DeliveryKey = z.tuple([z.string(), z.string()]);

const queueDelivery = (c: AppContext, deliveryId: string) =>
  c.env.CHANNEL_QUEUE.send({ kind: 'deliver', deliveryId } satisfies DeliverJob);

export const listChannels: AppRouteHandler<typeof routes.listChannels> = async (c) => {
  const { id } = c.req.valid('param');
  const db = c.var.db;
  const [caller, [group], rows] = await c.var.auth.check(() => [groupExistsQuery(db, id), groupChannelsQuery(db, id)]);
  if (!group) throw groupNotFound();
  requireChannelManager(caller, id, groupNotFound);
  return c.json(rows.map(toChannel), 200);
};

export const createChannel: AppRouteHandler<typeof routes.createChannel> = async (c) => {
  const { id: groupId } = c.req.valid('param');
  const input = c.req.valid('json');
  const db = c.var.db;
  const [caller, [group]] = await c.var.auth.check(() => [groupExistsQuery(db, groupId)]);
  if (!group) throw groupNotFound();
  requireChannelManager(caller, groupId, groupNotFound);
  const verdict = checkChannelUrl(input.kind, input.url, c.env);
  if (!verdict.ok) throw invalidField('url', verdict.reason);

  const id = crypto.randomUUID();
  const secret = input.kind === 'webhook' ? newSigningSecret() : null;
  const [row] = await insertChannelStatement(db, {
    id,
    groupId,
    kind: input.kind,
    name: input.name ?? defaultName(input.kind),
    urlSealed: await seal(c.env.JWT_SECRET, id, 'url', input.url),
    urlMasked: maskUrl(input.url),
    secretSealed: secret ? await seal(c.env.JWT_SECRET, id, 'secret', secret) : null,
    events: input.events ?? CHANNEL_EVENTS,
  });
  if (!row) throw new ApiError('conflict', `A group has at most ${MAX_CHANNELS_PER_GROUP} channels; remove one first.`);
  return c.json({ ...toChannel(row), ...(secret ? { secret } : {}) }, 201);
};

export const patchChannel: AppRouteHandler<typeof routes.patchChannel> = async (c) => {
  const { id } = c.req.valid('param');
  const patch = c.req.valid('json');
  const db = c.var.db;
  const [caller, [channel]] = await c.var.auth.check(() => [channelQuery(db, id)]);
  if (!channel) throw channelNotFound();
  requireChannelManager(caller, channel.groupId, channelNotFound);
  const [row] = await updateChannelStatement(db, id, patch);
  if (!row) throw channelNotFound();
  return c.json(toChannel(row), 200);
};

export const deleteChannel: AppRouteHandler<typeof routes.deleteChannel> = async (c) => {
  const { id } = c.req.valid('param');
  const db = c.var.db;
  const [caller, [channel]] = await c.var.auth.check(() => [channelQuery(db, id)]);
  if (!channel) throw channelNotFound();
  requireChannelManager(caller, channel.groupId, channelNotFound);
  const deleted = await deleteChannelStatement(db, id);
  if (deleted.length === 0) throw channelNotFound();
  return c.json({ message: 'Channel removed.' }, 200);
};

export const testChannel: AppRouteHandler<typeof routes.testChannel> = async (c) => {
  const { id } = c.req.valid('param');
  const db = c.var.db;
  const [caller, [channel]] = await c.var.auth.check(() => [channelQuery(db, id)]);
  if (!channel) throw channelNotFound();
  requireChannelManager(caller, channel.groupId, channelNotFound);
  if (!channel.enabled) throw new ApiError('conflict', 'The channel is disabled; enable it first.');
  const at = new Date().toISOString();
  const body = renderMessage(
    channel.kind,
    { type: 'channel.test', groupId: channel.groupId, at },
    { language: channel.language, origin: publicUrl(c) },
  );
  const deliveryId = crypto.randomUUID();
  await db.batch([
    insertDeliveryStatement(db, { id: deliveryId, channelId: id, event: 'channel.test', body, createdAt: at }),
    trimDeliveriesStatement(db, id),
  ]);
  await queueDelivery(c, deliveryId);
  return c.json({ message: 'Test message queued.', deliveryId }, 202);
};

export const listDeliveries: AppRouteHandler<typeof routes.listDeliveries> = async (c) => {
  const { id } = c.req.valid('param');
  const { limit, cursor } = c.req.valid('query');
  const key = cursor ? await decodeCursor(c.env.JWT_SECRET, 'deliveries', cursor, DeliveryKey) : undefined;
  const db = c.var.db;
  const [caller, [channel], rows] = await c.var.auth.check(() => [
    channelQuery(db, id),
    deliveriesPageQuery(db, id, key, Math.min(limit, DELIVERIES_PAGE) + 1),
  ]);
  if (!channel) throw channelNotFound();
  requireChannelManager(caller, channel.groupId, channelNotFound);
  return c.json(await pageOf(c, 'deliveries', rows, limit, (r) => [r.createdAt, r.id]), 200);
};

export const retryDelivery: AppRouteHandler<typeof routes.retryDelivery> = async (c) => {
  const { id, deliveryId } = c.req.valid('param');
  const db = c.var.db;
  const [caller, [channel], [delivery]] = await c.var.auth.check(() => [channelQuery(db, id), deliveryQuery(db, id, deliveryId)]);
  if (!channel) throw channelNotFound();
  requireChannelManager(caller, channel.groupId, channelNotFound);
  if (!delivery) throw new ApiError('not_found', 'No such delivery.');
  if (!channel.enabled) throw new ApiError('conflict', 'The channel is disabled; enable it first.');
  const reopened = await reopenDeliveryStatement(db, id, deliveryId);
  if (reopened.length === 0)
    throw new ApiError('conflict', `Only a failed or dead delivery is retried (this one is ${delivery.status}).`);
  await queueDelivery(c, deliveryId);
  return c.json({ message: 'Delivery queued again.', deliveryId }, 202);
};
