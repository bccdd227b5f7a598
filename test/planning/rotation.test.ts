/** GET /api/groups/{id}/rotation and /api/user/absences: who bakes next, and who is away. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { adminToken, call, expectProblem, groupWith, json, type TestUser, userIn } from '../helpers/api';
import { createEvent, dayIn } from '../helpers/events';

const rotation = (user: TestUser, groupId: string) =>
  json(call('GET', `/api/groups/${groupId}/rotation`, { token: user.token }), 200);
const declare = (user: TestUser, body: unknown) => call('POST', '/api/user/absences', { token: user.token, body });

/** The ledger counts after the answer: wait until it has. */
async function counted(eventId: string) {
  for (let i = 0; i < 50; i++) {
    const row = await env.DB.prepare('select ledger_share from events where id = ?')
      .bind(eventId)
      .first<{ ledger_share: number | null }>();
    if (row?.ledger_share !== null && row?.ledger_share !== undefined) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the ledger never counted the cake');
}

describe('happy', () => {
  it('a cake of today is shared by everyone and paid by its baker; the baker moves to the end', async () => {
    const { group, users } = await groupWith(4);
    const [anna, ben] = users as [TestUser, TestUser];
    await json(
      call('PUT', `/api/groups/${group.id}/schedule`, {
        token: await adminToken(),
        body: { rule: 'FREQ=WEEKLY', startDate: dayIn(-7) },
      }),
      200,
    );
    const cake = await createEvent(anna, { date: dayIn(0), groupId: group.id });
    await counted(cake.id);
    const entries = await rotation(ben, group.id);
    expect(entries).toHaveLength(4);
    expect(entries.at(-1)).toMatchObject({
      userId: anna.id,
      balance: -0.75,
      cakesBaked: 1,
      cakesShared: 1,
      lastBakedOn: dayIn(0),
    });
    for (const e of entries.slice(0, 3))
      expect(e).toMatchObject({ balance: 0.25, cakesBaked: 0, cakesShared: 1, available: true, awayUntil: null });
    expect(entries.reduce((s: number, e: { balance: number }) => s + e.balance, 0)).toBeCloseTo(0, 9);
    // Ties broken the same way every time: by the earliest joined, then the id.
    expect(await rotation(anna, group.id)).toEqual(entries);
  });

  it('deleting a counted cake takes it out of the ledger again', async () => {
    const { group, users } = await groupWith(3);
    const [anna, ben] = users as [TestUser, TestUser];
    const admin = await adminToken();
    await json(
      call('PUT', `/api/groups/${group.id}/schedule`, { token: admin, body: { rule: 'FREQ=WEEKLY', startDate: dayIn(-7) } }),
      200,
    );
    const cake = await createEvent(anna, { date: dayIn(0), groupId: group.id });
    await counted(cake.id);
    await json(call('DELETE', `/api/events/${cake.id}`, { token: admin }), 200);
    for (const e of await rotation(ben, group.id))
      expect(e).toMatchObject({ balance: 0, cakesBaked: 0, cakesShared: 0, lastBakedOn: null });
  });

  it('an away member is listed after the available ones, with the end of the absence', async () => {
    const { group, users } = await groupWith(3);
    const [anna, ben] = users as [TestUser, TestUser];
    const away = await json(declare(ben, { from: dayIn(0), to: dayIn(10), groupId: group.id }), 201);
    expect(away).toMatchObject({ from: dayIn(0), to: dayIn(10), groupId: group.id });
    // Back to back with another one: away until the second ends.
    await json(declare(ben, { from: dayIn(11), to: dayIn(12) }), 201);
    const entries = await rotation(anna, group.id);
    expect(entries.at(-1)).toMatchObject({ userId: ben.id, available: false, awayUntil: dayIn(12) });
    // The absence itself is only the owner's to see.
    expect(JSON.stringify(entries)).not.toContain(away.id);
    expect((await json(call('GET', '/api/user/absences', { token: ben.token }), 200)).map((a: { id: string }) => a.id)).toContain(
      away.id,
    );
    expect(await json(call('GET', '/api/user/absences', { token: anna.token }), 200)).toEqual([]);
    await json(call('DELETE', `/api/user/absences/${away.id}`, { token: ben.token }), 200);
  });

  it('availability refers to the next open cake day: one an assignment holds is not open', async () => {
    const { group, users } = await groupWith(2);
    const [anna, ben] = users as [TestUser, TestUser];
    const admin = await adminToken();
    const schedule = { rule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU', startDate: dayIn(0) };
    await json(call('PUT', `/api/groups/${group.id}/schedule`, { token: admin, body: schedule }), 200);
    await json(declare(ben, { from: dayIn(0), to: dayIn(0) }), 201);
    expect((await rotation(anna, group.id)).find((e: { userId: string }) => e.userId === ben.id)).toMatchObject({
      available: false,
      awayUntil: dayIn(0),
    });
    const path = `/api/groups/${group.id}/cake-days/${dayIn(0)}/assignment`;
    await json(call('POST', path, { token: admin, body: { userId: anna.id } }), 201);
    expect((await rotation(anna, group.id)).find((e: { userId: string }) => e.userId === ben.id)).toMatchObject({
      available: true,
      awayUntil: null,
    });
  });
});

describe('bad input', () => {
  it('refuses backwards, over-long and past absences, and the 51st', async () => {
    const user = await userIn((await groupWith(0)).group.id);
    await expectProblem(declare(user, { from: dayIn(5), to: dayIn(4) }), 400, 'validation_failed');
    await expectProblem(declare(user, { from: dayIn(1), to: dayIn(367) }), 400, 'validation_failed');
    await expectProblem(declare(user, { from: dayIn(-10), to: dayIn(-5) }), 400, 'validation_failed');
    await expectProblem(declare(user, { from: 'tomorrow', to: dayIn(5) }), 400, 'validation_failed');
    for (let i = 0; i < 50; i++) await json(declare(user, { from: dayIn(1), to: dayIn(2) }), 201);
    await expectProblem(declare(user, { from: dayIn(1), to: dayIn(2) }), 409, 'conflict');
  });
});

describe('races', () => {
  it('parallel declarations never pass the limit of 50', async () => {
    const user = await userIn((await groupWith(0)).group.id);
    for (let i = 0; i < 45; i++) await json(declare(user, { from: dayIn(1), to: dayIn(2) }), 201);
    const answers = await Promise.all(Array.from({ length: 12 }, () => declare(user, { from: dayIn(3), to: dayIn(4) })));
    expect(answers.filter((r) => r.status === 201)).toHaveLength(5);
    expect(answers.filter((r) => r.status === 409)).toHaveLength(7);
    expect(await json(call('GET', '/api/user/absences', { token: user.token }), 200)).toHaveLength(50);
  });
});

describe('security', () => {
  it('an absence in another group, or someone else’s absence, is 404', async () => {
    const mine = await groupWith(1);
    const theirs = await groupWith(1);
    const me = mine.users[0]!;
    await expectProblem(declare(me, { from: dayIn(1), to: dayIn(2), groupId: theirs.group.id }), 404, 'not_found');
    const other = await json(declare(theirs.users[0]!, { from: dayIn(1), to: dayIn(2) }), 201);
    await expectProblem(call('DELETE', `/api/user/absences/${other.id}`, { token: me.token }), 404, 'not_found');
  });
});
