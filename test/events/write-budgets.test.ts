/**
 * Floods from members: each mutating member route has a per-user budget, and
 * the write beyond it answers 429 with Retry-After and changes nothing.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { HOURLY_BUDGETS, PER_MINUTE } from '../../src/auth/budgets';
import { call, expectProblem, groupWith, json, login } from '../helpers/api';
import { callRecordingChannels, channelTeam, createChannel, hookUrl } from '../helpers/channels';
import { createEvent, dayIn } from '../helpers/events';
import { inOneLimiterWindow } from '../helpers/limiter-window';

const eventCount = async (groupId: string) =>
  (await env.DB.prepare('select count(*) as n from events where group_id = ?').bind(groupId).first<{ n: number }>())!.n;

describe('per-user write budgets', () => {
  it(`event creation: ${HOURLY_BUDGETS['create-event']} an hour, counted exactly in D1`, async () => {
    const { group, users } = await groupWith(2);
    const [anna, ben] = users as [any, any];
    for (let i = 0; i < HOURLY_BUDGETS['create-event']; i++) await createEvent(anna, { date: dayIn(30 + i) });
    const res = await call('POST', '/api/events', { token: anna.token, body: { date: dayIn(90) } });
    const wait = Number(res.headers.get('Retry-After'));
    expect(wait).toBeGreaterThan(3500);
    expect(wait).toBeLessThanOrEqual(3600);
    await expectProblem(res, 429, 'rate_limited');
    expect(await eventCount(group.id)).toBe(HOURLY_BUDGETS['create-event']);
    // Another member's budget is their own; a window that closed opens anew.
    await createEvent(ben, { date: dayIn(91) });
    await env.DB.prepare('update write_budgets set window_start = window_start - 3600001 where key = ?')
      .bind(`create-event:${anna.id}`)
      .run();
    await createEvent(anna, { date: dayIn(92) });
  });

  it(`calendar rotation: ${HOURLY_BUDGETS['rotate-calendar']} an hour`, async () => {
    const { users } = await groupWith(1);
    const anna = users[0]!;
    for (let i = 0; i < HOURLY_BUDGETS['rotate-calendar']; i++)
      await json(call('POST', '/api/user/calendar/rotate', { token: anna.token }), 200);
    const { url } = await json(call('GET', '/api/user/calendar', { token: anna.token }), 200);
    await expectProblem(call('POST', '/api/user/calendar/rotate', { token: anna.token }), 429, 'rate_limited');
    expect((await json(call('GET', '/api/user/calendar', { token: anna.token }), 200)).url).toBe(url);
  });

  it(`ratings: ${PER_MINUTE} a minute`, async () => {
    // The limiter counts per clock minute: the 61 requests must fall in one.
    await inOneLimiterWindow(async () => {
      const { users } = await groupWith(2);
      const [anna, ben] = users as [any, any];
      const cake = await createEvent(anna, { date: dayIn(-1) });
      let refused: Response | undefined;
      let accepted = 0;
      for (let i = 0; i <= PER_MINUTE && !refused; i++) {
        const res = await call('POST', `/api/events/${cake.id}/rate`, { token: ben.token, body: { stars: 1 + (i % 5) } });
        if (res.status === 429) {
          refused = res;
        } else {
          expect(res.status).toBe(200);
          accepted++;
        }
      }
      expect(accepted).toBe(PER_MINUTE);
      expect(refused!.headers.get('Retry-After')).toBe('60');
      await expectProblem(refused!, 429, 'rate_limited');
    });
  });

  it(`hand-overs and swaps: ${PER_MINUTE} a minute each`, async () => {
    await inOneLimiterWindow(async () => {
      const { users } = await groupWith(1);
      const anna = users[0]!;
      for (const path of [`/api/handovers/${crypto.randomUUID()}`, `/api/swaps/${crypto.randomUUID()}/decline`]) {
        const method = path.startsWith('/api/handovers') ? 'DELETE' : 'POST';
        // Unknown ids: each is refused (404), and each spends the budget all the same.
        for (let i = 0; i < PER_MINUTE; i++) await expectProblem(call(method, path, { token: anna.token }), 404, 'not_found');
        await expectProblem(call(method, path, { token: anna.token }), 429, 'rate_limited');
      }
    });
  });

  it(`channel writes (create, change, remove, test, retry): ${PER_MINUTE} a minute, shared`, async () => {
    await inOneLimiterWindow(async () => {
      const { group, lead } = await channelTeam();
      const channel = await createChannel(lead.token, group.id, { kind: 'slack', url: hookUrl.slack() });
      let refused: Response | undefined;
      let accepted = 1;
      for (let i = 0; i <= PER_MINUTE && !refused; i++) {
        const { res } = await callRecordingChannels('POST', `/api/channels/${channel.id}/test`, { token: lead.token });
        if (res.status === 429) refused = res;
        else {
          expect(res.status).toBe(202);
          accepted++;
        }
      }
      expect(accepted).toBe(PER_MINUTE);
      await expectProblem(refused!, 429, 'rate_limited');
      await expectProblem(
        call('PATCH', `/api/channels/${channel.id}`, { token: lead.token, body: { name: 'x' } }),
        429,
        'rate_limited',
      );
    });
  });

  describe('a revoked session spends nothing', () => {
    /** A member whose token was stolen, and the fresh token of the password change (in another session) that revoked it. */
    async function revokedAndFresh() {
      const { group, users } = await groupWith(2);
      const [anna, ben] = users as [any, any];
      const stolen = ben.token as string;
      const other = await login(ben.email, ben.password);
      const { token } = await json(
        call('POST', '/api/user/change-password', { token: other.token, body: { newPassword: 'Changed-Cake-Pass-4' } }),
        200,
      );
      await expectProblem(call('GET', '/api/user', { token: stolen }), 401, 'invalid_token');
      return { group, anna, ben: { ...ben, token }, kept: { ...ben, token: other.token }, stolen };
    }

    it('of an hourly budget', async () => {
      const { group, ben, kept, stolen } = await revokedAndFresh();
      for (let i = 0; i <= HOURLY_BUDGETS['create-event']; i++) {
        await expectProblem(call('POST', '/api/events', { token: stolen, body: { date: dayIn(30 + i) } }), 401, 'invalid_token');
      }
      expect(await env.DB.prepare('select * from write_budgets where key = ?').bind(`create-event:${ben.id}`).first()).toBeNull();
      // The session that changed the password is kept, and spends the same budget as the new one.
      for (let i = 0; i < HOURLY_BUDGETS['create-event']; i++) await createEvent(i % 2 ? ben : kept, { date: dayIn(30 + i) });
      await expectProblem(call('POST', '/api/events', { token: ben.token, body: { date: dayIn(90) } }), 429, 'rate_limited');
      await expectProblem(call('POST', '/api/events', { token: kept.token, body: { date: dayIn(91) } }), 429, 'rate_limited');
      expect(await eventCount(group.id)).toBe(HOURLY_BUDGETS['create-event']);
    });

    it('of a per-minute budget', async () => {
      await inOneLimiterWindow(async () => {
        const { anna, ben, stolen } = await revokedAndFresh();
        const cake = await createEvent(anna, { date: dayIn(-1) });
        const rate = (token: string) => call('POST', `/api/events/${cake.id}/rate`, { token, body: { stars: 4 } });
        for (let i = 0; i <= PER_MINUTE; i++) await expectProblem(rate(stolen), 401, 'invalid_token');
        for (let i = 0; i < PER_MINUTE; i++) expect((await rate(ben.token)).status).toBe(200);
        await expectProblem(rate(ben.token), 429, 'rate_limited');
      });
    });
  });
});
