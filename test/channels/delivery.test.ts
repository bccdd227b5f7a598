/**
 * Deliveries through the channel queue, attempt by attempt, against the
 * local receiver: signatures, retries and their schedule, Retry-After, the
 * dead letter, disabling (410, 20 failures in a row), redirects, the URL
 * rules at delivery time, the response cap.
 */
import { env } from 'cloudflare:workers';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import type { ChannelJob } from '../../src/channels/announce';
import { seal } from '../../src/channels/sealing';
import { json } from '../helpers/api';
import {
  callRecordingChannels,
  channelTeam,
  consume,
  createChannel,
  deliveriesOf,
  hookUrl,
  received,
  script,
} from '../helpers/channels';

/** A channel of `kind` with one queued test delivery. */
async function channelWithDelivery(kind: 'slack' | 'webhook' | 'discord' | 'teams' = 'webhook') {
  const team = await channelTeam();
  const url = hookUrl[kind]();
  const channel = await createChannel(team.lead.token, team.group.id, { kind, url });
  const { res, jobs } = await callRecordingChannels('POST', `/api/channels/${channel.id}/test`, { token: team.lead.token });
  const { deliveryId } = await json(res, 202);
  return { ...team, url, channel, deliveryId, jobs: jobs as ChannelJob[] };
}

const channelRow = (id: string) =>
  env.DB.prepare('select enabled, disabled_reason, failure_streak, last_status from channels where id = ?').bind(id).first<{
    enabled: number;
    disabled_reason: string | null;
    failure_streak: number;
    last_status: number | null;
  }>();

describe('delivery', () => {
  it('delivers a signed generic webhook that the reference implementation verifies', async () => {
    const { url, channel, deliveryId, jobs, group } = await channelWithDelivery('webhook');
    const { result } = await consume(jobs);
    expect(result.explicitAcks).toHaveLength(1);
    const [request] = await received(url);
    expect(request!.method).toBe('POST');
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers['webhook-id']).toBe(`msg_${deliveryId}`);
    const payload = new Webhook(channel.secret).verify(request!.body, request!.headers) as Record<string, unknown>;
    expect(payload).toEqual({ type: 'channel.test', timestamp: expect.stringMatching(/Z$/), groupId: group.id, data: {} });
    const [row] = await deliveriesOf(channel.id);
    expect(row).toMatchObject({ status: 'delivered', attempts: 1, last_status_code: 200, last_error: null });
    expect(await channelRow(channel.id)).toMatchObject({ enabled: 1, failure_streak: 0, last_status: 200 });
  });

  it('retries a failed delivery with backoff; the third attempt lands, re-signed under the same webhook-id, and the log shows all three', async () => {
    const { url, channel, deliveryId, jobs } = await channelWithDelivery('webhook');
    await script(url, [{ status: 500, body: 'down' }, { status: 500 }]);
    const first = await consume(jobs, 1);
    expect(first.result.retryMessages).toEqual([{ msgId: first.ids[0] }]);
    expect(first.delays.get(first.ids[0]!)).toBeLessThanOrEqual(30);
    expect((await deliveriesOf(channel.id))[0]).toMatchObject({
      status: 'failed',
      attempts: 1,
      last_status_code: 500,
      last_error: 'HTTP 500: down',
    });

    const second = await consume(jobs, 2, {}, first.ids);
    expect(second.delays.get(first.ids[0]!)).toBeGreaterThan(30);
    expect(second.delays.get(first.ids[0]!)).toBeLessThanOrEqual(300);
    const third = await consume(jobs, 3, {}, first.ids);
    expect(third.result.explicitAcks).toEqual(first.ids);

    const requests = await received(url);
    expect(requests).toHaveLength(3);
    for (const r of requests) {
      expect(r.headers['webhook-id']).toBe(`msg_${deliveryId}`);
      expect(() => new Webhook(channel.secret).verify(r.body, r.headers)).not.toThrow();
    }
    expect((await deliveriesOf(channel.id))[0]).toMatchObject({ status: 'delivered', attempts: 3, last_status_code: 200 });
    // The streak counted this delivery once, and the success reset it.
    expect(await channelRow(channel.id)).toMatchObject({ failure_streak: 0 });
  });

  it('never retries sooner than Retry-After asks', async () => {
    const { url, jobs } = await channelWithDelivery('slack');
    await script(url, [{ status: 429, headers: { 'Retry-After': '600' } }]);
    const { delays, ids } = await consume(jobs, 1);
    expect(delays.get(ids[0]!)).toBe(600);
  });

  it('marks the delivery dead after the last attempt and dead-letters the message', async () => {
    const { url, channel, jobs } = await channelWithDelivery('discord');
    await script(url, [{ status: 503 }]);
    const { result, delays, ids } = await consume(jobs, 11);
    expect(result.retryMessages).toEqual([{ msgId: ids[0] }]);
    expect(delays.has(ids[0]!)).toBe(true);
    expect(delays.get(ids[0]!)).toBeUndefined();
    expect((await deliveriesOf(channel.id))[0]).toMatchObject({ status: 'dead', last_status_code: 503 });
  });

  it('410 disables the channel at once; later deliveries are not attempted', async () => {
    const { url, channel, jobs, lead } = await channelWithDelivery('slack');
    await script(url, [{ status: 410 }]);
    const { result } = await consume(jobs);
    expect(result.explicitAcks).toHaveLength(1);
    expect(await channelRow(channel.id)).toMatchObject({ enabled: 0, disabled_reason: 'gone' });
    expect((await deliveriesOf(channel.id))[0]).toMatchObject({ status: 'dead', last_status_code: 410 });
    // A delivery queued before the channel was disabled is closed without a request.
    await env.DB.prepare("update channel_deliveries set status = 'pending' where channel_id = ?").bind(channel.id).run();
    await consume(jobs);
    expect(await received(url)).toHaveLength(1);
    const [log] = await json(
      callRecordingChannels('GET', `/api/channels/${channel.id}/deliveries`, { token: lead.token }).then((r) => r.res),
      200,
    );
    expect(log.lastError).toBe('The channel is disabled');
  });

  it('the 20th failed delivery in a row disables the channel and mails the group’s admins', async () => {
    const { url, channel, jobs, lead } = await channelWithDelivery('teams');
    await env.DB.prepare('update channels set failure_streak = 19 where id = ?').bind(channel.id).run();
    await script(url, [{ status: 500 }]);
    const { result, mails } = await consume(jobs);
    expect(result.explicitAcks).toHaveLength(1);
    expect(await channelRow(channel.id)).toMatchObject({ enabled: 0, disabled_reason: 'failing', failure_streak: 20 });
    expect(mails).toEqual([
      {
        to: lead.email,
        template: 'channel_disabled',
        language: 'en',
        data: { name: lead.name, groupName: expect.any(String), channelName: 'Microsoft Teams', failures: 20 },
      },
    ]);
    expect((await deliveriesOf(channel.id))[0]).toMatchObject({ status: 'dead' });
  });

  it('a delivery counts once towards the streak, however many attempts it takes', async () => {
    const { url, channel, jobs } = await channelWithDelivery('slack');
    await script(url, [{ status: 500 }, { status: 500 }, { status: 500 }]);
    const first = await consume(jobs, 1);
    await consume(jobs, 2, {}, first.ids);
    await consume(jobs, 3, {}, first.ids);
    expect(await channelRow(channel.id)).toMatchObject({ enabled: 1, failure_streak: 1 });
  });

  it('does not follow redirects', async () => {
    const { url, channel, jobs } = await channelWithDelivery('webhook');
    const elsewhere = hookUrl.webhook();
    await script(url, [{ status: 302, headers: { Location: elsewhere } }]);
    await consume(jobs);
    expect(await received(elsewhere)).toEqual([]);
    expect((await deliveriesOf(channel.id))[0]).toMatchObject({
      status: 'failed',
      last_status_code: 302,
      last_error: 'Redirect 302 not followed',
    });
  });

  it('gives up on a receiver that takes longer than 10 s', async () => {
    const { url, channel, jobs } = await channelWithDelivery('slack');
    await script(url, [{ status: 200, delayMs: 12_000 }]);
    const started = Date.now();
    const { result } = await consume(jobs);
    expect(Date.now() - started).toBeLessThan(11_500);
    expect(result.retryMessages).toHaveLength(1);
    expect((await deliveriesOf(channel.id))[0]).toMatchObject({
      status: 'failed',
      last_status_code: null,
      last_error: 'Timed out after 10 s',
    });
  });

  it('checks the URL rules again before every delivery', async () => {
    const { channel, jobs } = await channelWithDelivery('webhook');
    const forbidden = 'https://169.254.169.254/latest/meta-data';
    const sealed = await seal(env.JWT_SECRET, channel.id, 'url', forbidden);
    await env.DB.prepare('update channels set url_sealed = ? where id = ?').bind(sealed, channel.id).run();
    await consume(jobs);
    expect(await received(forbidden)).toEqual([]);
    expect((await deliveriesOf(channel.id))[0]).toMatchObject({
      status: 'dead',
      last_error: 'URL refused: A host name, not an IP address',
    });
  });

  it('closes a delivery whose URL no longer opens (the server secret changed) without a request', async () => {
    const { url, channel, jobs } = await channelWithDelivery('slack');
    await consume(jobs, 1, { JWT_SECRET: 'another-secret-than-the-one-it-was-sealed-under' });
    expect(await received(url)).toEqual([]);
    expect((await deliveriesOf(channel.id))[0]).toMatchObject({
      status: 'dead',
      last_error: expect.stringMatching(/connect the channel again/),
    });
  });

  it('reads at most 64 KiB of an answer and keeps at most 200 characters of it', async () => {
    const { url, channel, jobs } = await channelWithDelivery('webhook');
    await script(url, [{ status: 500, body: 'x'.repeat(300_000) }]);
    await consume(jobs);
    const [row] = await deliveriesOf(channel.id);
    expect(row!.last_error!.length).toBeLessThanOrEqual(220);
  });
});

describe('loopback override', () => {
  async function loopbackChannel() {
    const { channel, jobs } = await channelWithDelivery('webhook');
    const target = `http://127.0.0.1:9${Math.floor(Math.random() * 900 + 100)}/hook/${crypto.randomUUID()}`;
    const sealed = await seal(env.JWT_SECRET, channel.id, 'url', target);
    await env.DB.prepare('update channels set url_sealed = ? where id = ?').bind(sealed, channel.id).run();
    return { channel, jobs, target };
  }

  it('reaches a plain-HTTP receiver on the loopback address when switched on locally', async () => {
    const { channel, jobs, target } = await loopbackChannel();
    await consume(jobs, 1, { CHANNELS_ALLOW_LOOPBACK: 'on', PUBLIC_URL: 'http://localhost:8787' });
    const [request] = await received(target);
    expect(() => new Webhook(channel.secret).verify(request!.body, request!.headers)).not.toThrow();
  });

  it('refuses it where PUBLIC_URL is not a local http origin, even with the flag on', async () => {
    const { channel, jobs, target } = await loopbackChannel();
    await consume(jobs, 1, { CHANNELS_ALLOW_LOOPBACK: 'on', PUBLIC_URL: 'https://cake.example.org' });
    expect(await received(target)).toEqual([]);
    expect((await deliveriesOf(channel.id))[0]).toMatchObject({ status: 'dead', last_error: 'URL refused: Only https URLs' });
  });
});
