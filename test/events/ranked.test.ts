/** GET /api/events/ranked: the Hall of Fame, the best-rated visible events. */
import { describe, expect, it } from 'vitest';
import { OWN_GROUP_ARMS, PRIOR_MEAN, PRIOR_WEIGHT } from '../../src/events/ranking';
import { call, createGroup, expectProblem, groupWith, json, type TestUser, userIn } from '../helpers/api';
import { createEvent, dayIn, insertEvents, neighboursOfBlock, seedRatings } from '../helpers/events';

describe('happy', () => {
  it('lists only rated events', async () => {
    const { group, users } = await groupWith(2);
    const [anna, ben] = users as [TestUser, TestUser];
    const past = await createEvent(ben, { date: dayIn(-1) });
    await createEvent(anna, { date: dayIn(7) });
    await createEvent(ben, { date: dayIn(-2) });
    await json(call('POST', `/api/events/${past.id}/rate`, { token: anna.token, body: { stars: 4 } }), 200);
    const ranked = await json(call('GET', `/api/events/ranked?groupId=${group.id}`, { token: anna.token }), 200);
    expect(ranked.map((e: any) => e.id)).toEqual([past.id]);
  });

  it('ranks by a Bayesian average: one 5-star vote does not beat ten 4.9s', async () => {
    const { group, users } = await groupWith(2);
    const [anna, ben] = users as [TestUser, TestUser];
    const single = await createEvent(anna, { date: dayIn(-3) });
    const many = await createEvent(ben, { date: dayIn(-5) });
    const unrated = await createEvent(ben, { date: dayIn(-2) });
    await seedRatings(group.id, single.id, [5]);
    await seedRatings(group.id, many.id, [5, 5, 5, 5, 5, 5, 5, 5, 5, 4]);

    const ranked = await json(call('GET', `/api/events/ranked?groupId=${group.id}`, { token: anna.token }), 200);
    expect(ranked.map((e: any) => e.id)).toEqual([many.id, single.id]);
    expect(ranked.map((e: any) => e.id)).not.toContain(unrated.id);
    // Items are full CakeEvents with the plain mean.
    expect(ranked[0]).toMatchObject({ id: many.id, bakerName: ben.name, rating: { average: 4.9, count: 10, myRating: 0 } });
    expect(ranked[1].rating).toEqual({ average: 5, count: 1, myRating: 0 });
  });

  it('breaks ties by rating count, then by newer date', async () => {
    const { group, users } = await groupWith(1);
    const [anna] = users as [TestUser];
    // (6 + 15) / 7 = (3 + 15) / 6 = 3: equal scores, more votes first.
    const twoVotes = await createEvent(anna, { date: dayIn(-10) });
    const oneVote = await createEvent(anna, { date: dayIn(-9) });
    // Identical scores and counts: the newer date first.
    const older = await createEvent(anna, { date: dayIn(-20) });
    const newer = await createEvent(anna, { date: dayIn(-19) });
    await seedRatings(group.id, twoVotes.id, [3, 3]);
    await seedRatings(group.id, oneVote.id, [3]);
    await seedRatings(group.id, older.id, [4]);
    await seedRatings(group.id, newer.id, [4]);

    const ranked = await json(call('GET', '/api/events/ranked', { token: anna.token }), 200);
    expect(ranked.map((e: any) => e.id)).toEqual([newer.id, older.id, twoVotes.id, oneVote.id]);
  });

  it('honours limit: 20 by default, at most 100', async () => {
    // Two bakers: 22 events are more than one member's hourly budget of new events.
    const { group, users } = await groupWith(2);
    const [anna] = users as [TestUser];
    for (let i = 0; i < 22; i++) {
      const e = await createEvent(users[i % 2]!, { date: dayIn(-30 - i) });
      await seedRatings(group.id, e.id, [1 + (i % 5)]);
    }
    expect(await json(call('GET', '/api/events/ranked', { token: anna.token }), 200)).toHaveLength(20);
    expect(await json(call('GET', '/api/events/ranked?limit=3', { token: anna.token }), 200)).toHaveLength(3);
    expect(await json(call('GET', '/api/events/ranked?limit=100', { token: anna.token }), 200)).toHaveLength(22);
  });

  it('merges all of a member’s groups, more of them than the statement has arms of their own, page by page', async () => {
    const groups = await Promise.all(Array.from({ length: OWN_GROUP_ARMS + 2 }, () => createGroup()));
    const member = await userIn(...groups.map((g) => g.id));
    // Scores that interleave across the groups, ties (same sum and count) included.
    const rows = groups.flatMap((g, i) =>
      Array.from({ length: 4 }, (_, j) => ({
        groupId: g.id,
        bakerId: member.id,
        date: dayIn(-10 - j - i),
        createdAt: '2026-01-01T00:00:00.000Z',
        ratingCount: 1 + ((i + j) % 3),
        ratingSum: (1 + ((i + j) % 3)) * (1 + ((i * 3 + j * 2) % 5)),
      })),
    );
    const ids = await insertEvents(...rows);
    const score = (r: (typeof rows)[number]) => (r.ratingSum + PRIOR_MEAN * PRIOR_WEIGHT) / (r.ratingCount + PRIOR_WEIGHT);
    const byRank = rows
      .map((r, k) => ({ ...r, id: ids[k]! }))
      .sort(
        (a, b) => score(b) - score(a) || b.ratingCount - a.ratingCount || b.date.localeCompare(a.date) || (a.id < b.id ? 1 : -1),
      );

    const whole = await json(call('GET', '/api/events/ranked?limit=100', { token: member.token }), 200);
    expect(whole.map((e: any) => e.id)).toEqual(byRank.map((r) => r.id));
    const paged: string[] = [];
    for (let path: string | undefined = '/api/events/ranked?limit=5'; path; ) {
      const res = await call('GET', path, { token: member.token });
      paged.push(...(await json(res, 200)).map((e: any) => e.id));
      const next = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('Link') ?? '')?.[1];
      path = next ? new URL(next).pathname + new URL(next).search : undefined;
    }
    expect(paged).toEqual(byRank.map((r) => r.id));
  });

  it('is documented with its prior in the OpenAPI document', async () => {
    const doc = await json(call('GET', '/api/openapi.json'), 200);
    expect(doc.paths['/api/events/ranked'].get.description).toMatch(/Bayesian.*5 virtual votes of 3 stars/);
  });
});

describe('bad input', () => {
  it('refuses a limit over 100, under 1, or not a number', async () => {
    const { users } = await groupWith(1);
    const [anna] = users as [TestUser];
    await expectProblem(call('GET', '/api/events/ranked?limit=101', { token: anna.token }), 400, 'validation_failed');
    await expectProblem(call('GET', '/api/events/ranked?limit=0', { token: anna.token }), 400, 'validation_failed');
    await expectProblem(call('GET', '/api/events/ranked?limit=abc', { token: anna.token }), 400, 'validation_failed');
  });
});

describe('security', () => {
  const n = neighboursOfBlock();

  it('leaves another group’s rated events out', async () => {
    const ranked = await json(call('GET', '/api/events/ranked?limit=100', { token: n.olga.token }), 200);
    expect(ranked.map((e: any) => e.id)).not.toContain(n.past.id);
  });

  it('answers an empty list for another group’s id', async () => {
    expect(await json(call('GET', `/api/events/ranked?groupId=${n.a.id}`, { token: n.olga.token }), 200)).toEqual([]);
    const other = await groupWith(0);
    expect(await json(call('GET', `/api/events/ranked?groupId=${other.group.id}`, { token: n.anna.token }), 200)).toEqual([]);
  });
});
