/** GET/PUT /api/groups/{id}/schedule and GET /api/groups/{id}/cake-days. */
import { describe, expect, it } from 'vitest';
import { localDate } from '../../src/lib/time';
import { addMember, adminToken, call, createGroup, expectProblem, groupWith, json, type TestUser, userIn } from '../helpers/api';
import { createEvent, dayIn } from '../helpers/events';

const schedule = (groupId: string) => `/api/groups/${groupId}/schedule`;
const put = (token: string, groupId: string, body: unknown) => call('PUT', schedule(groupId), { token, body });

/** A group with an admin and a member. */
async function team() {
  const { group, users } = await groupWith(2);
  const [lead, member] = users as [TestUser, TestUser];
  await addMember(lead.id, group.id, 'admin');
  return { group, lead, member };
}

describe('happy', () => {
  it('a group without a schedule answers rule null with the defaults', async () => {
    const { group, member } = await team();
    const got = await json(call('GET', schedule(group.id), { token: member.token }), 200);
    expect(got).toEqual({
      rule: null,
      startDate: localDate('Europe/Berlin'),
      skipDates: [],
      leadDays: 14,
      autoAssign: false,
      nextCakeDays: [],
    });
  });

  it('the group admin sets a weekly rule; members read it with the next five cake days', async () => {
    const { group, lead, member } = await team();
    const set = await json(put(lead.token, group.id, { rule: 'rrule:freq=weekly;byday=fr', skipDates: ['2099-01-02'] }), 200);
    expect(set).toMatchObject({
      rule: 'FREQ=WEEKLY;BYDAY=FR',
      startDate: localDate('Europe/Berlin'),
      leadDays: 14,
      autoAssign: false,
    });
    expect(set.nextCakeDays).toHaveLength(5);
    for (const day of set.nextCakeDays) expect(new Date(`${day}T00:00:00Z`).getUTCDay()).toBe(5);
    expect(await json(call('GET', schedule(group.id), { token: member.token }), 200)).toEqual(set);
  });

  it('a later PUT without startDate keeps the first one; omitted fields take their defaults again', async () => {
    const { group, lead } = await team();
    await json(
      put(lead.token, group.id, { rule: 'FREQ=MONTHLY;BYDAY=-1FR', startDate: '2026-01-01', leadDays: 30, autoAssign: true }),
      200,
    );
    const again = await json(put(lead.token, group.id, { rule: 'FREQ=WEEKLY;BYDAY=MO' }), 200);
    expect(again).toMatchObject({ rule: 'FREQ=WEEKLY;BYDAY=MO', startDate: '2026-01-01', leadDays: 14, autoAssign: false });
  });

  it('lists cake days in a range with the cakes that cover them; other dates are no cake days', async () => {
    const { group, lead, member } = await team();
    await json(put(lead.token, group.id, { rule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU', startDate: dayIn(-3) }), 200);
    const cake = await createEvent(member, { date: dayIn(1), groupId: group.id });
    const days = await json(
      call('GET', `/api/groups/${group.id}/cake-days?from=${dayIn(0)}&to=${dayIn(2)}`, { token: member.token }),
      200,
    );
    expect(days).toEqual([
      { date: dayIn(0), events: [], assignment: null, open: true },
      { date: dayIn(1), events: [{ id: cake.id, bakerId: member.id, bakerName: member.name }], assignment: null, open: false },
      { date: dayIn(2), events: [], assignment: null, open: true },
    ]);
  });

  it('a global admin who is no member reads and sets any group’s schedule', async () => {
    const group = await createGroup();
    const admin = await adminToken();
    await json(put(admin, group.id, { rule: 'FREQ=MONTHLY;BYMONTHDAY=1' }), 200);
    expect((await json(call('GET', schedule(group.id), { token: admin }), 200)).rule).toBe('FREQ=MONTHLY;BYMONTHDAY=1');
  });

  it('rule null removes the schedule: no cake days', async () => {
    const { group, lead } = await team();
    await json(put(lead.token, group.id, { rule: 'FREQ=WEEKLY;BYDAY=FR' }), 200);
    const off = await json(put(lead.token, group.id, { rule: null }), 200);
    expect(off).toMatchObject({ rule: null, nextCakeDays: [] });
    expect(
      await json(call('GET', `/api/groups/${group.id}/cake-days?from=${dayIn(0)}&to=${dayIn(30)}`, { token: lead.token }), 200),
    ).toEqual([]);
  });
});

describe('bad input', () => {
  it('refuses rules outside the subset, saying which part is wrong', async () => {
    const { group, lead } = await team();
    for (const [rule, part] of [
      ['FREQ=DAILY', 'FREQ=DAILY'],
      ['FREQ=WEEKLY;COUNT=3', 'COUNT'],
      ['FREQ=YEARLY', 'YEARLY'],
      ['FREQ=WEEKLY;BYDAY=XX', 'BYDAY'],
      ['nonsense', 'nonsense'],
    ] as const) {
      const problem = await expectProblem(put(lead.token, group.id, { rule }), 400, 'validation_failed');
      expect(JSON.stringify(problem.errors), rule).toContain(part);
    }
    // Nothing was stored.
    expect((await json(call('GET', schedule(group.id), { token: lead.token }), 200)).rule).toBeNull();
  });

  it('refuses dates outside 1900–9998, too many skip dates, lead days out of range', async () => {
    const { group, lead } = await team();
    await expectProblem(put(lead.token, group.id, { rule: 'FREQ=WEEKLY', startDate: '1899-12-31' }), 400, 'validation_failed');
    await expectProblem(put(lead.token, group.id, { rule: 'FREQ=WEEKLY', startDate: '2026-02-30' }), 400, 'validation_failed');
    const many = Array.from({ length: 201 }, (_, i) => localDate('UTC', new Date(Date.UTC(2030, 0, 1 + i))));
    await expectProblem(put(lead.token, group.id, { rule: 'FREQ=WEEKLY', skipDates: many }), 400, 'validation_failed');
    await expectProblem(put(lead.token, group.id, { rule: 'FREQ=WEEKLY', leadDays: 61 }), 400, 'validation_failed');
  });

  it('refuses a cake-day range over 400 days or backwards', async () => {
    const { group, member } = await team();
    const days = (from: string, to: string) =>
      call('GET', `/api/groups/${group.id}/cake-days?from=${from}&to=${to}`, { token: member.token });
    await expectProblem(days('2026-01-01', '2027-02-05'), 400, 'validation_failed');
    await expectProblem(days('2026-02-01', '2026-01-01'), 400, 'validation_failed');
    await expectProblem(days('2026-01-01', 'soon'), 400, 'validation_failed');
    expect((await days('2026-01-01', '2027-02-04')).status).toBe(200);
  });
});

describe('security', () => {
  it('a member who is not the group’s admin may read but not set the schedule: 403', async () => {
    const { group, member } = await team();
    await expectProblem(put(member.token, group.id, { rule: 'FREQ=WEEKLY' }), 403, 'forbidden');
  });

  it('another group’s member, or its admin, gets 404 for every planning read and write of this group', async () => {
    const { group } = await team();
    const other = await groupWith(1);
    const outsider = other.users[0]!;
    await addMember(outsider.id, other.group.id, 'admin');
    for (const path of [
      schedule(group.id),
      `/api/groups/${group.id}/cake-days?from=2026-01-01&to=2026-01-31`,
      `/api/groups/${group.id}/rotation`,
    ]) {
      await expectProblem(call('GET', path, { token: outsider.token }), 404, 'not_found');
    }
    await expectProblem(put(outsider.token, group.id, { rule: 'FREQ=WEEKLY' }), 404, 'not_found');
    const unknown = crypto.randomUUID();
    await expectProblem(call('GET', schedule(unknown), { token: (await userIn(group.id)).token }), 404, 'not_found');
  });
});
