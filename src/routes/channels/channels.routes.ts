import { createRoute, z } from '@hono/zod-openapi';
import { authenticate } from '../../auth/authenticate';
import { CHANNEL_EVENTS } from '../../channels/events';
import {
  ChannelPatchSchema,
  ChannelSchema,
  CreatedChannelSchema,
  DELIVERIES_PAGE,
  DeliverySchema,
  KEPT_DELIVERIES,
  MAX_CHANNELS_PER_GROUP,
  NewChannelSchema,
} from '../../channels/queries';
import { bearerAuth, IdParam, jsonBody, jsonContent, MessageSchema, pageContent, pathParam, problems } from '../../lib/openapi';
import { PAGE_DESCRIPTION, pageQuery } from '../../lib/pagination';

const channelsTag = { tags: ['Channels'], security: bearerAuth };

const WHO =
  'A global admin or an admin of the group; a member of the group who is not its admin gets 403, anyone else 404 (as for an unknown id). ';

const QueuedSchema = z
  .object({ message: z.string(), deliveryId: z.string().openapi({ description: 'The delivery in the channel’s log' }) })
  .openapi('QueuedDelivery');

const DeliveryParams = z.object({
  id: IdParam.shape.id,
  deliveryId: pathParam('deliveryId'),
});

export const listChannels = createRoute({
  ...channelsTag,
  middleware: authenticate(),
  method: 'get',
  path: '/groups/{id}/channels',
  summary: 'The group’s channels (Slack, Teams, Discord, signed webhooks)',
  description: `${WHO}Oldest first, at most ${MAX_CHANNELS_PER_GROUP}. URLs are masked (scheme, host, last 4 characters).`,
  request: { params: IdParam },
  responses: { 200: jsonContent(z.array(ChannelSchema), 'The channels'), ...problems(401, 403, 404) },
});

export const createChannel = createRoute({
  ...channelsTag,
  middleware: authenticate({ budget: 'channels' }),
  method: 'post',
  path: '/groups/{id}/channels',
  summary: 'Connect a channel to the group',
  description:
    `${WHO}\`kind\`: \`slack\` (an incoming-webhook URL on hooks.slack.com), \`teams\` (a Workflows “When a Teams webhook ` +
    'request is received” URL on *.logic.azure.com or *.environment.api.powerplatform.com; an Adaptive Card), `discord` ' +
    '(https://discord.com/api/webhooks/…; mentions disabled) or `webhook` (any public HTTPS endpoint, JSON signed per the ' +
    'Standard Webhooks specification). The URL must be `https` on port 443, with a host name (no IP address in any ' +
    'notation), not a local or private name, without user info; 400 with the reason otherwise. Redirects are never ' +
    `followed. \`events\` defaults to all: ${CHANNEL_EVENTS.map((e) => `\`${e}\``).join(', ')}. ` +
    `At most ${MAX_CHANNELS_PER_GROUP} channels per group (409 for one more). The \`webhook\` kind's answer carries its ` +
    'signing secret (`whsec_…`), shown this once.',
  request: { params: IdParam, body: jsonBody(NewChannelSchema) },
  responses: {
    201: jsonContent(CreatedChannelSchema, 'The channel (with its secret, for the webhook kind)'),
    ...problems(400, 401, 403, 404, 409, 429),
  },
});

export const patchChannel = createRoute({
  ...channelsTag,
  middleware: authenticate({ budget: 'channels' }),
  method: 'patch',
  path: '/channels/{id}',
  summary: 'Change a channel’s events or name, or enable or disable it',
  description: `${WHO}A channel the API disabled (410 from the platform, or 20 failed deliveries in a row) is enabled again with \`{enabled: true}\`.`,
  request: { params: IdParam, body: jsonBody(ChannelPatchSchema) },
  responses: { 200: jsonContent(ChannelSchema, 'The channel'), ...problems(400, 401, 403, 404, 429) },
});

export const deleteChannel = createRoute({
  ...channelsTag,
  middleware: authenticate({ budget: 'channels' }),
  method: 'delete',
  path: '/channels/{id}',
  summary: 'Remove a channel (and its delivery log)',
  description: WHO,
  request: { params: IdParam },
  responses: { 200: jsonContent(MessageSchema, 'Removed'), ...problems(401, 403, 404, 429) },
});

export const testChannel = createRoute({
  ...channelsTag,
  middleware: authenticate({ budget: 'channels' }),
  method: 'post',
  path: '/channels/{id}/test',
  summary: 'Queue a test message (`channel.test`) to the channel',
  description: `${WHO}The message is delivered from the queue like any other; its delivery shows in the log. A disabled channel is 409.`,
  request: { params: IdParam },
  responses: { 202: jsonContent(QueuedSchema, 'Queued'), ...problems(401, 403, 404, 409, 429) },
});

export const listDeliveries = createRoute({
  ...channelsTag,
  middleware: authenticate(),
  method: 'get',
  path: '/channels/{id}/deliveries',
  summary: 'The channel’s delivery log, newest first',
  description:
    `${WHO}The last ${KEPT_DELIVERIES} deliveries are kept. \`status\`: \`pending\`, \`delivered\`, \`failed\` (retrying), ` +
    `\`dead\` (every attempt failed). Up to ${DELIVERIES_PAGE} per page (the default). ${PAGE_DESCRIPTION}`,
  request: { params: IdParam, query: z.object(pageQuery(DELIVERIES_PAGE, DELIVERIES_PAGE)) },
  responses: { 200: pageContent(z.array(DeliverySchema), 'The deliveries'), ...problems(400, 401, 403, 404) },
});

export const retryDelivery = createRoute({
  ...channelsTag,
  middleware: authenticate({ budget: 'channels' }),
  method: 'post',
  path: '/channels/{id}/deliveries/{deliveryId}/retry',
  summary: 'Send a failed or dead delivery again',
  description:
    `${WHO}The delivery keeps its id (and so its \`webhook-id\`); its attempts start a new schedule. A pending or ` +
    'delivered delivery, or a disabled channel, is 409.',
  request: { params: DeliveryParams },
  responses: { 202: jsonContent(QueuedSchema, 'Queued'), ...problems(401, 403, 404, 409, 429) },
});
