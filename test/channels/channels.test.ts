/** The channel endpoints: /api/groups/{id}/channels and /api/channels/{id}[/test|/deliveries|…/retry]. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { CHANNEL_EVENTS } from '../../src/channels/events';
import { adminToken, call, createGroup, expectProblem, json, userIn } from '../helpers/api';
import { callRecordingChannels, channelTeam, consume, createChannel, hookUrl } from '../helpers/channels';

const channelsOf = (groupId: string) => `/api/groups/${groupId}/channels`;

describe('happy', () => {
  it('the group admin connects a Slack channel: masked URL, every event by default, sealed at rest', async () => {
    const { group, lead } = await channelTeam();
    const url = hookUrl.slack();
    const channel = await createChannel(lead.token, group.id, { kind: 'slack', url });
    expect(channel).toEqual({
      id: expect.any(String),
      groupId: group.id,
      kind: 'slack',
      name: 'Slack',
      url: `https://hooks.slack.com/…${url.slice(-4)}`,
      events: [...CHANNEL_EVENTS],
      enabled: true,
      disabledReason: null,
      createdAt: expect.stringMatching(/Z$/),
      lastDeliveryAt: null,
      lastStatus: null,
    });
    expect(channel).not.toHaveProperty('secret');
    const row = await env.DB.prepare('select * from channels where id = ?').bind(channel.id).first<Record<string, string>>();
    expect(JSON.stringify(row)).not.toContain(url.split('/').at(-1));
    expect(await json(call('GET', channelsOf(group.id), { token: lead.token }), 200)).toEqual([channel]);
  });

  it('a generic webhook shows its whsec_ secret once, never again', async () => {
    const { group, lead } = await channelTeam();
    const created = await createChannel(lead.token, group.id, {
      kind: 'webhook',
      url: hookUrl.webhook(),
      name: 'Ops',
      events: ['cake.tomorrow'],
    });
    expect(created.secret).toMatch(/^whsec_/);
    expect(created).toMatchObject({ kind: 'webhook', name: 'Ops', events: ['cake.tomorrow'] });
    const listed = await json(call('GET', channelsOf(group.id), { token: lead.token }), 200);
    expect(listed[0]).not.toHaveProperty('secret');
    const row = await env.DB.prepare('select * from channels where id = ?').bind(created.id).first<Record<string, string>>();
    expect(JSON.stringify(row)).not.toContain(created.secret.slice(6));
  });

  it('a global admin connects Teams and Discord channels to any group', async () => {
    const group = await createGroup();
    const token = await adminToken();
    await createChannel(token, group.id, { kind: 'teams', url: hookUrl.teams() });
    await createChannel(token, group.id, { kind: 'discord', url: hookUrl.discord() });
    const listed = await json(call('GET', channelsOf(group.id), { token }), 200);
    expect(listed.map((c: { kind: string }) => c.kind)).toEqual(['teams', 'discord']);
  });

  it('PATCH changes events and name, disables and enables again (clearing the reason)', async () => {
    const { group, lead } = await channelTeam();
    const channel = await createChannel(lead.token, group.id, { kind: 'discord', url: hookUrl.discord() });
    await env.DB.prepare("update channels set enabled = 0, disabled_reason = 'gone' where id = ?").bind(channel.id).run();
    const patched = await json(
      call('PATCH', `/api/channels/${channel.id}`, { token: lead.token, body: { events: ['cake.rated'], name: 'Bakery' } }),
      200,
    );
    expect(patched).toMatchObject({ events: ['cake.rated'], name: 'Bakery', enabled: false, disabledReason: 'gone' });
    const enabled = await json(call('PATCH', `/api/channels/${channel.id}`, { token: lead.token, body: { enabled: true } }), 200);
    expect(enabled).toMatchObject({ enabled: true, disabledReason: null });
  });

  it('DELETE removes the channel and its log', async () => {
    const { group, lead } = await channelTeam();
    const channel = await createChannel(lead.token, group.id, { kind: 'slack', url: hookUrl.slack() });
    await json(
      callRecordingChannels('POST', `/api/channels/${channel.id}/test`, { token: lead.token }).then((r) => r.res),
      202,
    );
    await json(call('DELETE', `/api/channels/${channel.id}`, { token: lead.token }), 200);
    expect(await json(call('GET', channelsOf(group.id), { token: lead.token }), 200)).toEqual([]);
    const left = await env.DB.prepare('select count(*) as n from channel_deliveries where channel_id = ?')
      .bind(channel.id)
      .first<{ n: number }>();
    expect(left!.n).toBe(0);
  });

  it('POST /test queues a channel.test delivery, which the log shows and the consumer delivers', async () => {
    const { group, lead } = await channelTeam();
    const channel = await createChannel(lead.token, group.id, { kind: 'slack', url: hookUrl.slack() });
    const { res, jobs } = await callRecordingChannels('POST', `/api/channels/${channel.id}/test`, { token: lead.token });
    const { deliveryId } = await json(res, 202);
    expect(jobs).toEqual([{ kind: 'deliver', deliveryId }]);
    const log = await json(call('GET', `/api/channels/${channel.id}/deliveries`, { token: lead.token }), 200);
    expect(log).toEqual([
      {
        id: deliveryId,
        event: 'channel.test',
        status: 'pending',
        attempts: 0,
        lastStatusCode: null,
        lastError: null,
        createdAt: expect.any(String),
        deliveredAt: null,
      },
    ]);
    await consume(jobs);
    const [after] = await json(call('GET', `/api/channels/${channel.id}/deliveries`, { token: lead.token }), 200);
    expect(after).toMatchObject({ status: 'delivered', attempts: 1, lastStatusCode: 200 });
  });

  it('lists deliveries newest first in pages', async () => {
    const { group, lead } = await channelTeam();
    const channel = await createChannel(lead.token, group.id, { kind: 'slack', url: hookUrl.slack() });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { res } = await callRecordingChannels('POST', `/api/channels/${channel.id}/test`, { token: lead.token });
      ids.push((await json(res, 202)).deliveryId);
    }
    const first = await call('GET', `/api/channels/${channel.id}/deliveries?limit=2`, { token: lead.token });
    const page = await json(first, 200);
    expect(page.map((d: { id: string }) => d.id)).toEqual([ids[2], ids[1]]);
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.get('Link') ?? '')![1]!;
    const rest = await json(call('GET', new URL(next).pathname + new URL(next).search, { token: lead.token }), 200);
    expect(rest.map((d: { id: string }) => d.id)).toEqual([ids[0]]);
  });

  it('retries a dead delivery with the same id', async () => {
    const { group, lead } = await channelTeam();
    const channel = await createChannel(lead.token, group.id, { kind: 'slack', url: hookUrl.slack() });
    const { res } = await callRecordingChannels('POST', `/api/channels/${channel.id}/test`, { token: lead.token });
    const { deliveryId } = await json(res, 202);
    await env.DB.prepare("update channel_deliveries set status = 'dead', attempts = 11 where id = ?").bind(deliveryId).run();
    const retried = await callRecordingChannels('POST', `/api/channels/${channel.id}/deliveries/${deliveryId}/retry`, {
      token: lead.token,
    });
    expect(await json(retried.res, 202)).toEqual({ message: expect.any(String), deliveryId });
    expect(retried.jobs).toEqual([{ kind: 'deliver', deliveryId }]);
    await consume(retried.jobs);
    const [after] = await json(call('GET', `/api/channels/${channel.id}/deliveries`, { token: lead.token }), 200);
    expect(after).toMatchObject({ id: deliveryId, status: 'delivered', attempts: 12 });
  });
});

describe('bad input', () => {
  it('refuses a URL against the rules with the reason (400), storing nothing', async () => {
    const { group, lead } = await channelTeam();
    for (const [kind, url, reason] of [
      ['slack', 'https://hooks.example.org/x', /hooks\.slack\.com/],
      ['webhook', 'http://hooks.example.org/x', /https/],
      ['webhook', 'https://[::ffff:127.0.0.1]/x', /IP address/],
      ['webhook', 'https://2130706433/x', /IP address/],
      ['webhook', 'https://metadata.internal/x', /local or private/],
      ['webhook', 'https://a:b@hooks.example.org/x', /user name/],
      ['webhook', 'https://hooks.example.org:8080/x', /port/],
      ['webhook', 'http://127.0.0.1:9000/x', /https/],
    ] as const) {
      const problem = await expectProblem(
        call('POST', channelsOf(group.id), { token: lead.token, body: { kind, url } }),
        400,
        'validation_failed',
      );
      expect(problem.errors[0].path).toBe('url');
      expect(problem.errors[0].message).toMatch(reason);
    }
    expect(await json(call('GET', channelsOf(group.id), { token: lead.token }), 200)).toEqual([]);
  });

  it('refuses an unknown kind or event type, an empty or repeated event list', async () => {
    const { group, lead } = await channelTeam();
    for (const body of [
      { kind: 'irc', url: hookUrl.webhook() },
      { kind: 'webhook', url: hookUrl.webhook(), events: ['cake.eaten'] },
      { kind: 'webhook', url: hookUrl.webhook(), events: [] },
      { kind: 'webhook', url: hookUrl.webhook(), events: ['cake.created', 'cake.created'] },
      { kind: 'webhook' },
    ]) {
      await expectProblem(call('POST', channelsOf(group.id), { token: lead.token, body }), 400, 'validation_failed');
    }
  });

  it('allows at most 10 channels per group (409 for the 11th)', async () => {
    const { group, lead } = await channelTeam();
    for (let i = 0; i < 10; i++) await createChannel(lead.token, group.id, { kind: 'slack', url: hookUrl.slack() });
    await expectProblem(
      call('POST', channelsOf(group.id), { token: lead.token, body: { kind: 'slack', url: hookUrl.slack() } }),
      409,
      'conflict',
    );
  });

  it('unknown group, channel or delivery is 404', async () => {
    const token = await adminToken();
    await expectProblem(call('GET', channelsOf('nope'), { token }), 404, 'not_found');
    await expectProblem(call('PATCH', '/api/channels/nope', { token, body: { name: 'x' } }), 404, 'not_found');
    const { group, lead } = await channelTeam();
    const channel = await createChannel(lead.token, group.id, { kind: 'slack', url: hookUrl.slack() });
    await expectProblem(call('POST', `/api/channels/${channel.id}/deliveries/nope/retry`, { token }), 404, 'not_found');
  });

  it('a pending or delivered delivery is not retried, nor one of a disabled channel; a disabled channel is not tested (409)', async () => {
    const { group, lead } = await channelTeam();
    const channel = await createChannel(lead.token, group.id, { kind: 'slack', url: hookUrl.slack() });
    const { res } = await callRecordingChannels('POST', `/api/channels/${channel.id}/test`, { token: lead.token });
    const { deliveryId } = await json(res, 202);
    const retry = `/api/channels/${channel.id}/deliveries/${deliveryId}/retry`;
    await expectProblem(call('POST', retry, { token: lead.token }), 409, 'conflict');
    await env.DB.prepare("update channel_deliveries set status = 'dead' where id = ?").bind(deliveryId).run();
    await json(call('PATCH', `/api/channels/${channel.id}`, { token: lead.token, body: { enabled: false } }), 200);
    await expectProblem(call('POST', retry, { token: lead.token }), 409, 'conflict');
    await expectProblem(call('POST', `/api/channels/${channel.id}/test`, { token: lead.token }), 409, 'conflict');
  });

  it('a tampered cursor or a limit over 100 is 400', async () => {
    const { group, lead } = await channelTeam();
    const channel = await createChannel(lead.token, group.id, { kind: 'slack', url: hookUrl.slack() });
    await expectProblem(call('GET', `/api/channels/${channel.id}/deliveries?limit=101`, { token: lead.token }), 400);
    await expectProblem(call('GET', `/api/channels/${channel.id}/deliveries?cursor=abc.def`, { token: lead.token }), 400);
  });
});

describe('security', () => {
  it('a member who is not the group’s admin gets 403 on every channel route', async () => {
    const { group, lead, member } = await channelTeam();
    const channel = await createChannel(lead.token, group.id, { kind: 'slack', url: hookUrl.slack() });
    const token = member.token;
    await expectProblem(call('GET', channelsOf(group.id), { token }), 403, 'forbidden');
    await expectProblem(
      call('POST', channelsOf(group.id), { token, body: { kind: 'slack', url: hookUrl.slack() } }),
      403,
      'forbidden',
    );
    await expectProblem(call('PATCH', `/api/channels/${channel.id}`, { token, body: { enabled: false } }), 403, 'forbidden');
    await expectProblem(call('DELETE', `/api/channels/${channel.id}`, { token }), 403, 'forbidden');
    await expectProblem(call('POST', `/api/channels/${channel.id}/test`, { token }), 403, 'forbidden');
    await expectProblem(call('GET', `/api/channels/${channel.id}/deliveries`, { token }), 403, 'forbidden');
  });

  it('another group’s admin gets 404 for the group and its channels, and changes nothing', async () => {
    const { group, lead } = await channelTeam();
    const channel = await createChannel(lead.token, group.id, { kind: 'slack', url: hookUrl.slack() });
    const other = await channelTeam();
    const token = other.lead.token;
    await expectProblem(call('GET', channelsOf(group.id), { token }), 404, 'not_found');
    await expectProblem(
      call('POST', channelsOf(group.id), { token, body: { kind: 'slack', url: hookUrl.slack() } }),
      404,
      'not_found',
    );
    await expectProblem(call('PATCH', `/api/channels/${channel.id}`, { token, body: { enabled: false } }), 404, 'not_found');
    await expectProblem(call('DELETE', `/api/channels/${channel.id}`, { token }), 404, 'not_found');
    await expectProblem(call('POST', `/api/channels/${channel.id}/test`, { token }), 404, 'not_found');
    await expectProblem(call('GET', `/api/channels/${channel.id}/deliveries`, { token }), 404, 'not_found');
    const outsider = await userIn();
    await expectProblem(call('GET', channelsOf(group.id), { token: outsider.token }), 404, 'not_found');
    const [still] = await json(call('GET', channelsOf(group.id), { token: lead.token }), 200);
    expect(still).toMatchObject({ enabled: true });
  });

  it('never returns or logs the URL whole', async () => {
    const { group, lead } = await channelTeam();
    const url = hookUrl.discord();
    const secretPart = url.split('/').at(-1)!;
    const created = await createChannel(lead.token, group.id, { kind: 'discord', url });
    const texts = [
      JSON.stringify(created),
      await call('GET', channelsOf(group.id), { token: lead.token }).then((r) => r.text()),
      await call('PATCH', `/api/channels/${created.id}`, { token: lead.token, body: { name: 'x' } }).then((r) => r.text()),
    ];
    for (const text of texts) expect(text).not.toContain(secretPart);
  });
});
