/**
 * Assignments: POST /api/groups/{id}/cake-days/{date}/assignment, GET
 * /api/user/assignments, POST /api/assignments/{id}/accept and /decline,
 * DELETE /api/assignments/{id}.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { addMember, adminToken, call, expectProblem, groupWith, json, type TestUser } from '../helpers/api';
import { createEvent, dayIn } from '../helpers/events';
import { callWithMailbox } from '../helpers/mailbox';

const EVERY_DAY = 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU';

/** A group with a cake every day from yesterday on, its admin and `members` members (in joining order). */
async function team(members = 3, schedule: Record<string, unknown> = {}) {
  const { group, users } = await groupWith(members + 1);
  const [lead, ...rest] = users as [TestUser, ...TestUser[]];
  await addMember(lead.id, group.id, 'admin');
  await json(
    call('PUT', `/api/groups/${group.id}/schedule`, {
      token: lead.token,
      body: { rule: EVERY_DAY, startDate: dayIn(-1), ...schedule },
    }),
    200,
  );
  return { group, lead, members: rest };
}

const assign = (token: string, groupId: string, date: string, body?: unknown) =>
  call('POST', `/api/groups/${groupId}/cake-days/${date}/assignment`, { token, body: body ?? {} });
const accept = (token: string, id: string, body: unknown = {}) => call('POST', `/api/assignments/${id}/accept`, { token, body });
const decline = (token: string, id: string, body: unknown = {}) =>
  call('POST', `/api/assignments/${id}/decline`, { token, body });
const withdraw = (token: string, id: string) => call('DELETE', `/api/assignments/${id}`, { token });
const mine = (user: TestUser) => json(call('GET', '/api/user/assignments', { token: user.token }), 200);

const statusOf = async (id: string) =>
  (await env.DB.prepare('select status from assignments where id = ?').bind(id).first<{ status: string }>())?.status;

describe('happy', () => {
  it('the group admin assigns a member; the assignee sees it pending and gets a mail with both links', async () => {
    const { group, lead, members } = await team(2);
    const [anna] = members as [TestUser];
    const { res, mails } = await callWithMailbox('POST', `/api/groups/${group.id}/cake-days/${dayIn(3)}/assignment`, {
      token: lead.token,
      body: { userId: anna.id },
    });
    const made = await json(res, 201);
    expect(made).toMatchObject({
      groupId: group.id,
      groupName: group.name,
      date: dayIn(3),
      userId: anna.id,
      userName: anna.name,
      status: 'pending',
      answeredAt: null,
      reason: null,
    });
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ to: anna.email, template: 'assignment' });
    const data = mails[0]!.data as { acceptUrl: string; declineUrl: string };
    expect(data.acceptUrl).toMatch(new RegExp(`/api/answer/${made.id}/accept/[A-Za-z0-9_-]+$`));
    expect(data.declineUrl).toMatch(new RegExp(`/api/answer/${made.id}/decline/[A-Za-z0-9_-]+$`));
    expect(await mine(anna)).toEqual([made]);
    // The cake day shows it and is no longer open.
    const [day] = await json(
      call('GET', `/api/groups/${group.id}/cake-days?from=${dayIn(3)}&to=${dayIn(3)}`, { token: anna.token }),
      200,
    );
    expect(day).toEqual({ date: dayIn(3), events: [], assignment: made, open: false });
  });

  it('without userId the first available member of the rotation is asked, skipping the away', async () => {
    const { group, lead, members } = await team(3);
    const [anna, ben] = members as [TestUser, TestUser, TestUser];
    // Everyone is at 0: the lead joined first, then anna. Away on that day: the lead and anna.
    for (const user of [lead, anna]) {
      await json(call('POST', '/api/user/absences', { token: user.token, body: { from: dayIn(4), to: dayIn(4) } }), 201);
    }
    const made = await json(assign(lead.token, group.id, dayIn(4)), 201);
    expect(made.userId).toBe(ben.id);
  });

  it('one assignment moves its assignee back in the order for the next cake day', async () => {
    const { group, lead, members } = await team(2);
    const first = await json(assign(lead.token, group.id, dayIn(2)), 201);
    const second = await json(assign(lead.token, group.id, dayIn(3)), 201);
    const third = await json(assign(lead.token, group.id, dayIn(4)), 201);
    expect(new Set([first.userId, second.userId, third.userId])).toEqual(new Set([lead.id, ...members.map((m) => m.id)]));
  });

  it('accept creates the cake as POST /api/events would: the baker is the assignee, the others are mailed', async () => {
    const { group, lead, members } = await team(2);
    const [anna] = members as [TestUser];
    const made = await json(assign(lead.token, group.id, dayIn(5), { userId: anna.id }), 201);
    const { res, mails } = await callWithMailbox('POST', `/api/assignments/${made.id}/accept`, {
      token: anna.token,
      body: { description: 'Apple pie', allergens: ['gluten', 'eggs'], suitableFor: ['vegetarian'] },
    });
    const { event, assignment } = await json(res, 201);
    expect(event).toMatchObject({ groupId: group.id, bakerId: anna.id, date: dayIn(5), description: 'Apple pie', isOwner: true });
    expect(assignment).toMatchObject({ id: made.id, status: 'accepted' });
    expect(assignment.answeredAt).toEqual(expect.any(String));
    expect(mails.map((m) => m.template)).toEqual(['new_event', 'new_event']);
    const [day] = await json(
      call('GET', `/api/groups/${group.id}/cake-days?from=${dayIn(5)}&to=${dayIn(5)}`, { token: lead.token }),
      200,
    );
    expect(day).toMatchObject({
      events: [{ id: event.id, bakerId: anna.id }],
      assignment: { id: made.id, status: 'accepted' },
      open: false,
    });
  });

  it('decline records the reason; with autoAssign the next member is asked at once, never the same one twice', async () => {
    const { group, lead, members } = await team(1, { autoAssign: true });
    const [anna] = members as [TestUser];
    const first = await json(assign(lead.token, group.id, dayIn(6), { userId: anna.id }), 201);
    const { res, mails } = await callWithMailbox('POST', `/api/assignments/${first.id}/decline`, {
      token: anna.token,
      body: { reason: 'On holiday' },
    });
    expect(await json(res, 200)).toMatchObject({ id: first.id, status: 'declined', reason: 'On holiday' });
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ to: lead.email, template: 'assignment' });
    const [next] = (await mine(lead)) as { id: string; date: string; status: string }[];
    expect(next).toMatchObject({ date: dayIn(6), status: 'pending' });
    // The lead declines too: nobody is left who has not had that date.
    await json(decline(lead.token, next!.id), 200);
    const [day] = await json(
      call('GET', `/api/groups/${group.id}/cake-days?from=${dayIn(6)}&to=${dayIn(6)}`, { token: lead.token }),
      200,
    );
    expect(day).toMatchObject({ assignment: null, open: true });
    await expectProblem(assign(lead.token, group.id, dayIn(6)), 409, 'member_unavailable');
    await expectProblem(assign(lead.token, group.id, dayIn(6), { userId: anna.id }), 409, 'member_unavailable');
  });

  it('the admin withdraws a pending assignment: the assignee is mailed and the day is open again', async () => {
    const { group, lead, members } = await team(1);
    const [anna] = members as [TestUser];
    const made = await json(assign(lead.token, group.id, dayIn(2), { userId: anna.id }), 201);
    const { res, mails } = await callWithMailbox('DELETE', `/api/assignments/${made.id}`, { token: lead.token });
    await json(res, 200);
    expect(mails).toMatchObject([{ to: anna.email, template: 'assignment_withdrawn' }]);
    expect(await statusOf(made.id)).toBe('withdrawn');
    // A withdrawn assignment does not count as having had the date.
    expect((await json(assign(lead.token, group.id, dayIn(2), { userId: anna.id }), 201)).userId).toBe(anna.id);
  });

  it('an absence over a pending assignment declines it; one elsewhere leaves it', async () => {
    const { group, lead, members } = await team(1);
    const [anna] = members as [TestUser];
    const made = await json(assign(lead.token, group.id, dayIn(4), { userId: anna.id }), 201);
    await json(call('POST', '/api/user/absences', { token: anna.token, body: { from: dayIn(6), to: dayIn(8) } }), 201);
    expect(await statusOf(made.id)).toBe('pending');
    await json(call('POST', '/api/user/absences', { token: anna.token, body: { from: dayIn(3), to: dayIn(5) } }), 201);
    expect(await statusOf(made.id)).toBe('declined');
    expect(await mine(anna)).toMatchObject([{ id: made.id, status: 'declined', reason: 'Away that day.' }]);
  });

  it('a schedule change withdraws pending assignments on dates that are no cake days any more, and mails the assignee', async () => {
    const { group, lead, members } = await team(1);
    const [anna] = members as [TestUser];
    const kept = await json(assign(lead.token, group.id, dayIn(2), { userId: anna.id }), 201);
    const skipped = await json(assign(lead.token, group.id, dayIn(3), { userId: anna.id }), 201);
    const { res, mails } = await callWithMailbox('PUT', `/api/groups/${group.id}/schedule`, {
      token: lead.token,
      body: { rule: EVERY_DAY, skipDates: [dayIn(3)] },
    });
    await json(res, 200);
    expect(await statusOf(kept.id)).toBe('pending');
    expect(await statusOf(skipped.id)).toBe('withdrawn');
    expect(mails).toMatchObject([{ to: anna.email, template: 'assignment_withdrawn', data: { date: dayIn(3) } }]);
    // No rule at all: every pending one goes.
    await json(call('PUT', `/api/groups/${group.id}/schedule`, { token: lead.token, body: { rule: null } }), 200);
    expect(await statusOf(kept.id)).toBe('withdrawn');
  });

  it('a member who leaves the group is asked no more: their pending assignment there ends', async () => {
    const { group, lead, members } = await team(1);
    const [anna] = members as [TestUser];
    const made = await json(assign(lead.token, group.id, dayIn(2), { userId: anna.id }), 201);
    await json(call('DELETE', `/api/admin/groups/${group.id}/members/${anna.id}`, { token: lead.token }), 200);
    expect(await statusOf(made.id)).toBe('withdrawn');
    const [day] = await json(
      call('GET', `/api/groups/${group.id}/cake-days?from=${dayIn(2)}&to=${dayIn(2)}`, { token: lead.token }),
      200,
    );
    expect(day).toMatchObject({ assignment: null, open: true });
  });

  it('lists pending first, then the recent ones in any status', async () => {
    const { group, lead, members } = await team(1);
    const [anna] = members as [TestUser];
    const a = await json(assign(lead.token, group.id, dayIn(2), { userId: anna.id }), 201);
    const b = await json(assign(lead.token, group.id, dayIn(3), { userId: anna.id }), 201);
    await json(decline(anna.token, a.id), 200);
    const list = await mine(anna);
    expect(list.map((x: { id: string; status: string }) => [x.id, x.status])).toEqual([
      [b.id, 'pending'],
      [a.id, 'declined'],
    ]);
  });

  it('deleting an accepted cake ends its assignment: the day is open again', async () => {
    const { group, lead, members } = await team(1);
    const [anna] = members as [TestUser];
    const made = await json(assign(lead.token, group.id, dayIn(2), { userId: anna.id }), 201);
    const { event } = await json(accept(anna.token, made.id), 201);
    await json(call('DELETE', `/api/events/${event.id}`, { token: anna.token }), 200);
    expect(await statusOf(made.id)).toBe('withdrawn');
    const [day] = await json(
      call('GET', `/api/groups/${group.id}/cake-days?from=${dayIn(2)}&to=${dayIn(2)}`, { token: lead.token }),
      200,
    );
    expect(day).toMatchObject({ events: [], assignment: null, open: true });
  });
});

describe('bad input', () => {
  it('refuses a date that is no cake day, has passed, is covered or already assigned (409 with the reason)', async () => {
    const { group, lead, members } = await team(2, { rule: 'FREQ=WEEKLY;BYDAY=MO', startDate: dayIn(-7) });
    const [anna, ben] = members as [TestUser, TestUser];
    const schedule = await json(call('GET', `/api/groups/${group.id}/schedule`, { token: lead.token }), 200);
    const [monday, nextMonday] = schedule.nextCakeDays as [string, string];
    const tuesday = new Date(Date.parse(`${nextMonday}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    await expectProblem(assign(lead.token, group.id, tuesday), 409, 'not_a_cake_day');
    const lastMonday = new Date(Date.parse(`${monday}T00:00:00Z`) - 7 * 86_400_000).toISOString().slice(0, 10);
    if (lastMonday >= dayIn(-7)) await expectProblem(assign(lead.token, group.id, lastMonday), 409, 'not_a_cake_day');
    await createEvent(anna, { date: nextMonday, groupId: group.id });
    await expectProblem(assign(lead.token, group.id, nextMonday), 409, 'cake_day_taken');
    const third = (schedule.nextCakeDays as string[])[2]!;
    await json(assign(lead.token, group.id, third, { userId: anna.id }), 201);
    await expectProblem(assign(lead.token, group.id, third, { userId: ben.id }), 409, 'cake_day_taken');
  });

  it('refuses a chosen user who is no member, inactive or away that day', async () => {
    const { group, lead, members } = await team(1);
    const [anna] = members as [TestUser];
    const outsider = (await groupWith(1)).users[0]!;
    await expectProblem(assign(lead.token, group.id, dayIn(2), { userId: outsider.id }), 409, 'member_unavailable');
    await json(call('POST', '/api/user/absences', { token: anna.token, body: { from: dayIn(2), to: dayIn(3) } }), 201);
    const away = await expectProblem(assign(lead.token, group.id, dayIn(2), { userId: anna.id }), 409, 'member_unavailable');
    expect(away.detail).toMatch(/away/);
    await json(call('PUT', `/api/admin/users/${anna.id}/status`, { token: await adminToken(), body: { isActive: false } }), 200);
    await expectProblem(assign(lead.token, group.id, dayIn(5), { userId: anna.id }), 409, 'member_unavailable');
  });

  it('refuses a bad date or body: 404 for a path date that cannot exist, 400 for a bad body', async () => {
    const { group, lead } = await team(1);
    await expectProblem(assign(lead.token, group.id, '2027-02-30'), 404, 'not_found');
    await expectProblem(assign(lead.token, group.id, dayIn(2), { userId: 42 }), 400, 'validation_failed');
  });

  it('an assignment is answered once: accept, decline or withdraw after an answer is 409', async () => {
    const { group, lead, members } = await team(1);
    const [anna] = members as [TestUser];
    const made = await json(assign(lead.token, group.id, dayIn(2), { userId: anna.id }), 201);
    await json(accept(anna.token, made.id), 201);
    await expectProblem(accept(anna.token, made.id), 409, 'already_answered');
    await expectProblem(decline(anna.token, made.id), 409, 'already_answered');
    await expectProblem(withdraw(lead.token, made.id), 409, 'already_answered');
  });

  it('refuses allergens or diets outside their lists and an over-long description', async () => {
    const { group, lead, members } = await team(1);
    const [anna] = members as [TestUser];
    const made = await json(assign(lead.token, group.id, dayIn(2), { userId: anna.id }), 201);
    await expectProblem(accept(anna.token, made.id, { allergens: ['chocolate'] }), 400, 'validation_failed');
    await expectProblem(accept(anna.token, made.id, { suitableFor: ['carnivore'] }), 400, 'validation_failed');
    await expectProblem(accept(anna.token, made.id, { description: 'x'.repeat(2001) }), 400, 'validation_failed');
    expect(await statusOf(made.id)).toBe('pending');
  });

  it('ten accepts at once: one cake, one 201, nine 409', async () => {
    const { group, lead, members } = await team(1);
    const [anna] = members as [TestUser];
    const made = await json(assign(lead.token, group.id, dayIn(2), { userId: anna.id }), 201);
    const answers = await Promise.all(Array.from({ length: 10 }, () => accept(anna.token, made.id)));
    expect(answers.map((r) => r.status).sort()).toEqual([201, ...Array(9).fill(409)]);
    const cakes = await env.DB.prepare('select count(*) as n from events where group_id = ? and date = ?')
      .bind(group.id, dayIn(2))
      .first<{ n: number }>();
    expect(cakes?.n).toBe(1);
  });

  it('accepts racing withdrawals end with one outcome: a cake and accepted, or no cake and withdrawn', async () => {
    const { group, lead, members } = await team(1);
    const [anna] = members as [TestUser];
    const made = await json(assign(lead.token, group.id, dayIn(2), { userId: anna.id }), 201);
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? accept(anna.token, made.id) : withdraw(lead.token, made.id))),
    );
    const won = answers.filter((r) => r.status < 300);
    expect(won).toHaveLength(1);
    expect(answers.filter((r) => r.status === 409)).toHaveLength(9);
    const cakes = await env.DB.prepare('select count(*) as n from events where group_id = ? and date = ?')
      .bind(group.id, dayIn(2))
      .first<{ n: number }>();
    expect(cakes?.n).toBe((await statusOf(made.id)) === 'accepted' ? 1 : 0);
  });

  it('ten assignments of one day at once: one 201', async () => {
    const { group, lead, members } = await team(3);
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => assign(lead.token, group.id, dayIn(2), { userId: [lead, ...members][i % 4]!.id })),
    );
    expect(answers.filter((r) => r.status === 201)).toHaveLength(1);
    expect(answers.filter((r) => r.status === 409)).toHaveLength(9);
  });

  it('unknown ids are 404', async () => {
    const { lead } = await team(1);
    const unknown = crypto.randomUUID();
    await expectProblem(accept(lead.token, unknown), 404, 'not_found');
    await expectProblem(decline(lead.token, unknown), 404, 'not_found');
    await expectProblem(withdraw(lead.token, unknown), 404, 'not_found');
    await expectProblem(assign(lead.token, unknown, dayIn(2)), 404, 'not_found');
  });
});

describe('security', () => {
  it('a member who may not act gets 403: assigning, answering another’s, withdrawing', async () => {
    const { group, lead, members } = await team(2);
    const [anna, ben] = members as [TestUser, TestUser];
    await expectProblem(assign(anna.token, group.id, dayIn(2)), 403, 'forbidden');
    const made = await json(assign(lead.token, group.id, dayIn(2), { userId: anna.id }), 201);
    await expectProblem(accept(ben.token, made.id), 403, 'forbidden');
    await expectProblem(decline(ben.token, made.id), 403, 'forbidden');
    await expectProblem(withdraw(anna.token, made.id), 403, 'forbidden');
    // A group admin answers only their own.
    await expectProblem(accept(lead.token, made.id), 403, 'forbidden');
    expect(await statusOf(made.id)).toBe('pending');
  });

  it('another group’s member or admin gets 404 for everything of this group', async () => {
    const { group, lead, members } = await team(1);
    const [anna] = members as [TestUser];
    const made = await json(assign(lead.token, group.id, dayIn(2), { userId: anna.id }), 201);
    const other = await groupWith(1);
    const outsider = other.users[0]!;
    await addMember(outsider.id, other.group.id, 'admin');
    await expectProblem(assign(outsider.token, group.id, dayIn(3)), 404, 'not_found');
    await expectProblem(accept(outsider.token, made.id), 404, 'not_found');
    await expectProblem(decline(outsider.token, made.id), 404, 'not_found');
    await expectProblem(withdraw(outsider.token, made.id), 404, 'not_found');
    expect(await mine(outsider)).toEqual([]);
    expect(await statusOf(made.id)).toBe('pending');
  });

  it('a global admin who is no member assigns and withdraws in any group', async () => {
    const { group, members } = await team(1);
    const admin = await adminToken();
    const made = await json(assign(admin, group.id, dayIn(2), { userId: members[0]!.id }), 201);
    await json(withdraw(admin, made.id), 200);
  });
});
