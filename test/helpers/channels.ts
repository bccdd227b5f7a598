/**
 * Channels: the local receiver (test/setup/receiver.mjs, where every
 * outbound request of the Worker lands), a channel queue that records jobs
 * instead of sending them, and the consumer driven by hand, attempt by
 * attempt, so a test sees each delivery and each retry.
 */
import {
  createExecutionContext,
  createMessageBatch,
  getQueueResult,
  type QueueResult,
  waitOnExecutionContext,
} from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import type { ChannelJob } from '../../src/channels/announce';
import { consumeChannelJobs } from '../../src/channels/consumer';
import { seal } from '../../src/channels/sealing';
import { maskUrl } from '../../src/channels/url-rules';
import worker from '../../src/index';
import type { OutgoingMail } from '../../src/mail';
import { addMember, apiRequest, type CallOptions, groupWith, json, type TestUser } from './api';
import { recordingQueue } from './mailbox';

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** The receiver answers this much later. */
  delayMs?: number;
}

/** Replies the receiver gives `url`, in order (200 once they are used up). */
export async function script(url: string, replies: Reply[]): Promise<void> {
  await fetch('https://receiver.control/script', { method: 'POST', body: JSON.stringify({ url, replies }) });
}

export async function received(url: string): Promise<ReceivedRequest[]> {
  return (await fetch(`https://receiver.control/received?url=${encodeURIComponent(url)}`)).json();
}

let counter = 0;
const uniq = () => `${Date.now().toString(36)}${(++counter).toString(36)}${crypto.randomUUID().slice(0, 6)}`;

/** A fresh URL each kind accepts. */
export const hookUrl = {
  slack: () => `https://hooks.slack.com/services/T000/B000/${uniq()}`,
  discord: () => `https://discord.com/api/webhooks/1234/${uniq()}`,
  teams: () => `https://prod-12.westeurope.logic.azure.com/workflows/${uniq()}/triggers/manual/paths/invoke?sig=${uniq()}`,
  webhook: () => `https://hooks.receiver.example.org/cake/${uniq()}`,
};

/** A group with its admin (`lead`) and a member. */
export async function channelTeam(): Promise<{ group: { id: string; name: string }; lead: TestUser; member: TestUser }> {
  const { group, users } = await groupWith(2);
  const [lead, member] = users as [TestUser, TestUser];
  await addMember(lead.id, group.id, 'admin');
  return { group, lead, member };
}

/** A channel queue that keeps what is sent to it. */
export function recordingChannelQueue(): { queue: Queue<ChannelJob>; jobs: ChannelJob[] } {
  const jobs: ChannelJob[] = [];
  const queue = {
    async send(body: ChannelJob) {
      jobs.push(body);
    },
    async sendBatch(messages: Iterable<MessageSendRequest<ChannelJob>>) {
      for (const m of messages) jobs.push(m.body);
    },
  } as unknown as Queue<ChannelJob>;
  return { queue, jobs };
}

/** Calls the Worker with a recording channel queue; returns the answer once its after-response work is done. */
export async function callRecordingChannels(
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<{ res: Response; jobs: ChannelJob[] }> {
  const { queue, jobs } = recordingChannelQueue();
  const ctx = createExecutionContext();
  const res = await worker.fetch(apiRequest(method, path, options), { ...env, CHANNEL_QUEUE: queue } as never, ctx);
  await waitOnExecutionContext(ctx);
  return { res, jobs };
}

let messageCounter = 0;

export interface Consumed {
  result: QueueResult;
  /** Jobs the consumer queued (deliveries after a fan-out). */
  queued: ChannelJob[];
  mails: OutgoingMail[];
  ids: string[];
  /** The delay each retried message asked for (undefined: the next attempt at once, or the dead letter). */
  delays: Map<string, number | undefined>;
}

/** Hands `jobs` to the channel consumer as one batch (each at `attempts`); `overrides` changes the env it sees. */
export async function consume(
  jobs: ChannelJob[],
  attempts = 1,
  overrides: Record<string, unknown> = {},
  ids?: string[],
): Promise<Consumed> {
  const { queue, jobs: queued } = recordingChannelQueue();
  const { queue: mailQueue, mails } = recordingQueue(false);
  const messageIds = ids ?? jobs.map(() => `m${++messageCounter}-${uniq()}`);
  const batch = createMessageBatch<ChannelJob>(
    'cake-planner-channels',
    jobs.map((body, i) => ({ id: messageIds[i]!, timestamp: new Date(), attempts, body })),
  );
  // The queue result tells which messages were retried, not after how long: each retry's delay is noted here.
  const delays = new Map<string, number | undefined>();
  for (const message of batch.messages) {
    const retry = message.retry.bind(message);
    Object.defineProperty(message, 'retry', {
      value: (options?: QueueRetryOptions) => {
        delays.set(message.id, options?.delaySeconds);
        retry(options);
      },
    });
  }
  const ctx = createExecutionContext();
  await consumeChannelJobs(batch, { ...env, CHANNEL_QUEUE: queue, MAIL_QUEUE: mailQueue, ...overrides } as never);
  return { result: await getQueueResult(batch, ctx), queued, mails, ids: messageIds, delays };
}

/** Creates a channel as `token` and returns it (with its secret, for the webhook kind). */
export async function createChannel(
  token: string,
  groupId: string,
  body: { kind: string; url: string; events?: string[]; name?: string },
): Promise<any> {
  const { res } = await callRecordingChannels('POST', `/api/groups/${groupId}/channels`, { token, body });
  return json(res, 201);
}

/** A Slack channel of `groupId` and one dead delivery of it, written straight to D1 (the access table's world). */
export async function channelFixture(groupId: string): Promise<{ id: string; delivery: string }> {
  const id = crypto.randomUUID();
  const delivery = crypto.randomUUID();
  const url = hookUrl.slack();
  const now = new Date().toISOString();
  await env.DB.batch([
    env.DB.prepare(
      `insert into channels (id, group_id, kind, name, url_sealed, url_masked, events, created_at)
       values (?, ?, 'slack', 'Slack', ?, ?, '["cake.created"]', ?)`,
    ).bind(id, groupId, await seal(env.JWT_SECRET, id, 'url', url), maskUrl(url), now),
    env.DB.prepare(
      `insert into channel_deliveries (id, channel_id, event, body, status, attempts, created_at)
       values (?, ?, 'channel.test', '{}', 'dead', 11, ?)`,
    ).bind(delivery, id, now),
  ]);
  return { id, delivery };
}

/** The deliveries row by row, straight from D1 (newest first). */
export async function deliveriesOf(channelId: string) {
  return (
    await env.DB.prepare('select * from channel_deliveries where channel_id = ? order by created_at desc, id desc')
      .bind(channelId)
      .all<{
        id: string;
        event: string;
        body: string;
        status: string;
        attempts: number;
        last_status_code: number | null;
        last_error: string | null;
      }>()
  ).results;
}
