/**
 * What a channel hears about: the cake writes (after their commit, through
 * the queue, never in the request) and the daily run's messages, each once.
 */
import { createScheduledController } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { CakeJob, ChannelJob, DailyJob } from '../../src/channels/announce';
import worker from '../../src/index';
import { addDays, localDate } from '../../src/lib/time';
import { adminToken, call, json, type TestUser, userIn } from '../helpers/api';
import {
  callRecordingChannels,
  channelTeam,
  consume,
  createChannel,
  deliveriesOf,
  hookUrl,
  recordingChannelQueue,
} from '../helpers/channels';
import { dayIn, insertEvent, seedRatings } from '../helpers/events';

const bodyOf = (row: { body: string }) => JSON.parse(row.body);

describe('cake writes', () => {
  it('a new cake is one queue job and no database work in the request; the fan-out renders it for each listening channel', async () => {
    const { group, lead, member } = await channelTeam();
    const slack = await createChannel(lead.token, group.id, { kind: 'slack', url: hookUrl.slack() });
    const hook = await createChannel(lead.token, group.id, { kind: 'webhook', url: hookUrl.webhook() });
    const deaf = await createChannel(lead.token, group.id, {
      kind: 'discord',
      url: hookUrl.discord(),
      events: ['cake.tomorrow'],
    });
    const { res, jobs } = await callRecordingChannels('POST', '/api/events', {
      token: member.token,
      body: { date: dayIn(5), description: '@everyone <!channel> **x**' },
    });
    const { id } = await json(res, 201);
    expect(jobs).toEqual([
      { kind: 'cake', type: 'cake.created', groupId: group.id, eventId: id, at: expect.any(String), origin: 'https://cake.test' },
    ]);
    const { queued } = await consume(jobs);
    expect(queued).toHaveLength(2);
    const [slackRow] = await deliveriesOf(slack.id);
    expect(bodyOf(slackRow!).blocks[2].text.text).toBe('@everyone &lt;!channel&gt; **x**');
    const [hookRow] = await deliveriesOf(hook.id);
    expect(bodyOf(hookRow!)).toEqual({
      type: 'cake.created',
      timestamp: expect.any(String),
      groupId: group.id,
      data: {
        eventId: id,
        date: dayIn(5),
        bakerName: member.name,
        description: '@everyone <!channel> **x**',
        url: `https://cake.test/api/events/${id}`,
      },
    });
    expect(await deliveriesOf(deaf.id)).toEqual([]);
  });

  it('a fan-out retried by the queue writes no delivery twice', async () => {
    const { group, lead, member } = await channelTeam();
    const slack = await createChannel(lead.token, group.id, { kind: 'slack', url: hookUrl.slack() });
    const { res, jobs } = await callRecordingChannels('POST', '/api/events', { token: member.token, body: { date: dayIn(3) } });
    await json(res, 201);
    const first = await consume(jobs);
    await consume(jobs, 2, {}, first.ids);
    expect(await deliveriesOf(slack.id)).toHaveLength(1);
  });

  it('a deleted cake is told with its date and baker', async () => {
    const { group, lead, member } = await channelTeam();
    const hook = await createChannel(lead.token, group.id, { kind: 'webhook', url: hookUrl.webhook(), events: ['cake.deleted'] });
    const created = await callRecordingChannels('POST', '/api/events', { token: member.token, body: { date: dayIn(4) } });
    const { id } = await json(created.res, 201);
    const { res, jobs } = await callRecordingChannels('DELETE', `/api/events/${id}`, { token: member.token });
    await json(res, 200);
    await consume(jobs);
    const [row] = await deliveriesOf(hook.id);
    expect(bodyOf(row!).data).toMatchObject({ eventId: id, date: dayIn(4), bakerName: member.name });
  });

  it('an erased account’s upcoming cakes are told as deleted, without the erased baker’s name', async () => {
    const { group, lead, member } = await channelTeam();
    const hook = await createChannel(lead.token, group.id, { kind: 'webhook', url: hookUrl.webhook(), events: ['cake.deleted'] });
    const created = await callRecordingChannels('POST', '/api/events', { token: member.token, body: { date: dayIn(6) } });
    const { id } = await json(created.res, 201);
    const { res, jobs } = await callRecordingChannels('DELETE', `/api/admin/users/${member.id}`, { token: await adminToken() });
    await json(res, 200);
    await consume(jobs);
    const [row] = await deliveriesOf(hook.id);
    expect(bodyOf(row!).data).toMatchObject({ eventId: id, date: dayIn(6) });
    expect(row!.body).not.toContain(member.name);
  });

  it('ratings: at most one message per cake per hour', async () => {
    const { group, lead, member } = await channelTeam();
    const hook = await createChannel(lead.token, group.id, { kind: 'webhook', url: hookUrl.webhook(), events: ['cake.rated'] });
    const eventId = await insertEvent({ groupId: group.id, bakerId: lead.id, date: dayIn(-1) });
    const other = await userIn(group.id);
    const jobs: ChannelJob[] = [];
    for (const [voter, stars] of [
      [member, 5],
      [other, 3],
    ] as [TestUser, number][]) {
      const rated = await callRecordingChannels('POST', `/api/events/${eventId}/rate`, { token: voter.token, body: { stars } });
      await json(rated.res, 200);
      jobs.push(...rated.jobs);
    }
    expect(jobs.map((j) => (j as CakeJob).type)).toEqual(['cake.rated', 'cake.rated']);
    await consume([jobs[0]!]);
    await consume([jobs[1]!]);
    const rows = await deliveriesOf(hook.id);
    expect(rows).toHaveLength(1);
    // An hour later the next rating is told again.
    await env.DB.prepare("update channel_dispatches set created_at = '2000-01-01T00:00:00.000Z' where key = ?")
      .bind(`cake.rated:${eventId}`)
      .run();
    await consume([jobs[1]!]);
    expect(await deliveriesOf(hook.id)).toHaveLength(2);
    expect(bodyOf((await deliveriesOf(hook.id))[0]!).data.rating).toEqual({ average: 4, count: 2 });
  });
});

describe('assignments, hand-overs and swaps', () => {
  const EVERY_DAY = 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU';
  const listenerOf = async (lead: TestUser, groupId: string, events: string[]) =>
    createChannel(lead.token, groupId, { kind: 'webhook', url: hookUrl.webhook(), events });
  const types = (jobs: ChannelJob[]) =>
    jobs.map((j) => (j.kind === 'message' ? j.message.type : j.kind === 'cake' ? j.type : j.kind));

  it('an assignment is told when made and when accepted, and the accepted cake as created', async () => {
    const { group, lead, member } = await channelTeam();
    await json(
      call('PUT', `/api/groups/${group.id}/schedule`, { token: lead.token, body: { rule: EVERY_DAY, startDate: dayIn(-1) } }),
      200,
    );
    const hook = await listenerOf(lead, group.id, ['assignment.changed', 'cake.created']);
    const made = await callRecordingChannels('POST', `/api/groups/${group.id}/cake-days/${dayIn(3)}/assignment`, {
      token: lead.token,
      body: { userId: member.id },
    });
    const assignment = await json(made.res, 201);
    expect(types(made.jobs)).toEqual(['assignment.changed']);
    const accepted = await callRecordingChannels('POST', `/api/assignments/${assignment.id}/accept`, {
      token: member.token,
      body: { description: 'Bienenstich' },
    });
    await json(accepted.res, 201);
    expect(types(accepted.jobs).sort()).toEqual(['assignment.changed', 'cake.created']);
    await consume(made.jobs);
    await consume(accepted.jobs);
    const bodies = (await deliveriesOf(hook.id)).map(bodyOf);
    expect(
      bodies
        .filter((b) => b.type === 'assignment.changed')
        .map((b) => b.data.status)
        .sort(),
    ).toEqual(['accepted', 'pending']);
    expect(bodies.find((b) => b.type === 'assignment.changed')!.data).toMatchObject({
      assignmentId: assignment.id,
      date: dayIn(3),
      userName: member.name,
    });
    expect(bodies.find((b) => b.type === 'cake.created')!.data).toMatchObject({ description: 'Bienenstich' });
  });

  it('a hand-over is told when offered and when taken; the take is not told again as an updated cake', async () => {
    const { group, lead, member } = await channelTeam();
    const hook = await listenerOf(lead, group.id, ['handover.offered', 'handover.taken', 'cake.updated']);
    const created = await callRecordingChannels('POST', '/api/events', { token: member.token, body: { date: dayIn(4) } });
    const cake = await json(created.res, 201);
    const offered = await callRecordingChannels('POST', `/api/events/${cake.id}/handover`, { token: member.token });
    const handover = await json(offered.res, 201);
    const taken = await callRecordingChannels('POST', `/api/handovers/${handover.id}/take`, { token: lead.token });
    await json(taken.res, 200);
    expect(types(offered.jobs)).toEqual(['handover.offered']);
    expect(types(taken.jobs)).toEqual(['handover.taken']);
    await consume(offered.jobs);
    await consume(taken.jobs);
    const bodies = (await deliveriesOf(hook.id)).map(bodyOf);
    const data = { handoverId: handover.id, eventId: cake.id, date: dayIn(4), offeredBy: member.name };
    expect(bodies.find((b) => b.type === 'handover.offered')!.data).toMatchObject({ ...data, takenBy: null });
    expect(bodies.find((b) => b.type === 'handover.taken')!.data).toMatchObject({ ...data, takenBy: lead.name });
  });

  it('an accepted swap is told as an updated cake for each of the two, with its new date', async () => {
    const { group, lead, member } = await channelTeam();
    const hook = await listenerOf(lead, group.id, ['cake.updated']);
    const mine = await json(call('POST', '/api/events', { token: member.token, body: { date: dayIn(3) } }), 201);
    const theirs = await json(call('POST', '/api/events', { token: lead.token, body: { date: dayIn(5) } }), 201);
    const swap = await json(
      call('POST', `/api/events/${mine.id}/swap`, { token: member.token, body: { withEventId: theirs.id } }),
      201,
    );
    const accepted = await callRecordingChannels('POST', `/api/swaps/${swap.id}/accept`, { token: lead.token });
    await json(accepted.res, 200);
    expect(types(accepted.jobs)).toEqual(['cake.updated', 'cake.updated']);
    await consume(accepted.jobs);
    const told = (await deliveriesOf(hook.id)).map((r) => bodyOf(r).data);
    // A swap exchanges the dates: each cake is told with its new one.
    expect(told.map((d) => [d.eventId, d.date]).sort()).toEqual(
      [
        [mine.id, dayIn(5)],
        [theirs.id, dayIn(3)],
      ].sort(),
    );
  });
});

describe('daily run', () => {
  /** Runs the cron with a recording channel queue; returns the daily jobs it queued. */
  async function cron(at = Date.now()): Promise<DailyJob[]> {
    const { queue, jobs } = recordingChannelQueue();
    await worker.scheduled(createScheduledController({ scheduledTime: at, cron: '0 6 * * *' }), {
      ...env,
      CHANNEL_QUEUE: queue,
    } as never);
    return jobs as DailyJob[];
  }

  it('queues one job per group with an enabled channel; tomorrow’s cake and the open cake days are told once, however often it runs', async () => {
    const { group, lead, member } = await channelTeam();
    const hook = await createChannel(lead.token, group.id, { kind: 'webhook', url: hookUrl.webhook() });
    await json(
      call('PUT', `/api/groups/${group.id}/schedule`, {
        token: lead.token,
        body: { rule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU' },
      }),
      200,
    );
    const today = localDate('Europe/Berlin');
    await insertEvent({ groupId: group.id, bakerId: member.id, date: addDays(today, 1), description: 'Frankfurter Kranz' });

    const ours = (jobs: DailyJob[]) => jobs.filter((j) => j.groupId === group.id);
    const first = ours(await cron());
    expect(first).toEqual([{ kind: 'daily', groupId: group.id, at: expect.any(String) }]);
    await consume(first);
    const sent = (await deliveriesOf(hook.id)).map((r) => bodyOf(r));
    const types = sent.map((b) => `${b.type} ${b.data.date}`).sort();
    expect(types).toEqual(
      [
        `cake.tomorrow ${addDays(today, 1)}`,
        `cake_day.open ${today}`,
        `cake_day.open ${addDays(today, 2)}`,
        `cake_day.open ${addDays(today, 3)}`,
      ]
        .concat(new Date(`${today}T00:00:00Z`).getUTCDay() === 1 ? ['hall_of_fame.weekly undefined'] : [])
        .sort(),
    );
    expect(sent.find((b) => b.type === 'cake.tomorrow').data.description).toBe('Frankfurter Kranz');

    await consume(ours(await cron()));
    expect(await deliveriesOf(hook.id)).toHaveLength(sent.length);
  });

  it('a disabled channel’s group gets no daily job', async () => {
    const { group, lead } = await channelTeam();
    const hook = await createChannel(lead.token, group.id, { kind: 'slack', url: hookUrl.slack() });
    await json(call('PATCH', `/api/channels/${hook.id}`, { token: lead.token, body: { enabled: false } }), 200);
    expect((await cron()).filter((j) => j.groupId === group.id)).toEqual([]);
  });

  it('on the group’s Monday: last week’s Hall of Fame, best first, once', async () => {
    const { group, lead, member } = await channelTeam();
    const hook = await createChannel(lead.token, group.id, {
      kind: 'webhook',
      url: hookUrl.webhook(),
      events: ['hall_of_fame.weekly'],
    });
    // The next Monday, 06:00 UTC (07:00 in Berlin), and cakes of the week before it.
    const monday = addDays(localDate('UTC'), ((8 - new Date(`${localDate('UTC')}T00:00:00Z`).getUTCDay()) % 7) + 7);
    const good = await insertEvent({ groupId: group.id, bakerId: member.id, date: addDays(monday, -3), description: 'Kranz' });
    const fair = await insertEvent({ groupId: group.id, bakerId: lead.id, date: addDays(monday, -5) });
    await insertEvent({ groupId: group.id, bakerId: lead.id, date: addDays(monday, -9) });
    await seedRatings(group.id, good, [5, 5, 4]);
    await seedRatings(group.id, fair, [3]);
    const job: DailyJob = { kind: 'daily', groupId: group.id, at: `${monday}T06:00:00.000Z` };
    await consume([job]);
    await consume([job]);
    const rows = await deliveriesOf(hook.id);
    expect(rows).toHaveLength(1);
    const { data } = bodyOf(rows[0]!);
    expect(data.week).toBe(monday);
    expect(data.cakes.map((c: { eventId: string; average: number; count: number }) => [c.eventId, c.average, c.count])).toEqual([
      [good, 4.7, 3],
      [fair, 3, 1],
    ]);
  });
});
