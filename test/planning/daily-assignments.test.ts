/** The daily run's part in assignments: autoAssign groups get their open cake days assigned, pending ones are reminded. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/client';
import { autoAssignAll } from '../../src/planning/auto-assign';
import { remindPendingAssignments } from '../../src/planning/reminders';
import { addMember, call, groupWith, json, type TestUser } from '../helpers/api';
import { createEvent, dayIn } from '../helpers/events';
import { recordingQueue } from '../helpers/mailbox';

const db = createDb(env.DB);

/** A group with a cake every day from today, `leadDays` ahead, autoAssign on, and `size` members (the first its admin). */
async function autoTeam(size: number, leadDays: number, autoAssign = true) {
  const { group, users } = await groupWith(size);
  const lead = users[0]!;
  await addMember(lead.id, group.id, 'admin');
  await json(
    call('PUT', `/api/groups/${group.id}/schedule`, {
      token: lead.token,
      body: { rule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU', startDate: dayIn(0), leadDays, autoAssign },
    }),
    200,
  );
  return { group, lead, users };
}

const assignmentsOf = async (groupId: string) =>
  (
    await env.DB.prepare('select id, user_id, date, status from assignments where group_id = ? order by date')
      .bind(groupId)
      .all<{ id: string; user_id: string; date: string; status: string }>()
  ).results;

/** The run, with the mails it queues recorded. */
async function run(now = new Date()) {
  const { queue, mails } = recordingQueue(false);
  const made = await autoAssignAll(db, { ...env, MAIL_QUEUE: queue }, now);
  return { made, mails };
}

describe('happy', () => {
  it('assigns every open cake day within leadDays in date order, spreading them over the members', async () => {
    const { group, users } = await autoTeam(3, 5);
    const [, ben] = users as [TestUser, TestUser, TestUser];
    await createEvent(ben, { date: dayIn(2), groupId: group.id });
    const { mails } = await run();
    const rows = await assignmentsOf(group.id);
    // Today to five days ahead, but the day with a cake.
    expect(rows.map((r) => r.date)).toEqual([0, 1, 3, 4, 5].map((d) => dayIn(d)));
    expect(rows.every((r) => r.status === 'pending')).toBe(true);
    // Everyone at 0: three members take the first three days, one each, then the round starts again.
    expect(new Set(rows.slice(0, 3).map((r) => r.user_id)).size).toBe(3);
    expect(rows[3]!.user_id).toBe(rows[0]!.user_id);
    expect(mails.filter((m) => m.template === 'assignment')).toHaveLength(5);
  });

  it('a second run the same day assigns nothing twice', async () => {
    const { group } = await autoTeam(2, 3);
    await run();
    const first = await assignmentsOf(group.id);
    const again = await run();
    expect(await assignmentsOf(group.id)).toEqual(first);
    expect(again.made.filter((a) => a.groupId === group.id)).toEqual([]);
  });

  it('leaves groups without autoAssign alone', async () => {
    const { group } = await autoTeam(2, 3, false);
    await run();
    expect(await assignmentsOf(group.id)).toEqual([]);
  });

  it('reminds a pending assignment once after 48 hours, and its assignee the day before', async () => {
    const { group, lead, users } = await autoTeam(2, 1, false);
    const anna = users[1]!;
    const made = await json(
      call('POST', `/api/groups/${group.id}/cake-days/${dayIn(1)}/assignment`, { token: lead.token, body: { userId: anna.id } }),
      201,
    );
    const remind = async (now: Date) => {
      const { queue, mails } = recordingQueue(false);
      await remindPendingAssignments(db, { ...env, MAIL_QUEUE: queue }, now);
      return mails.filter((m) => (m.data as { date?: string }).date === dayIn(1) && m.to === anna.email);
    };
    // Created now, its date tomorrow: the day-before reminder goes out with the answer links, once.
    const eve = await remind(new Date());
    expect(eve).toMatchObject([{ template: 'reminder', data: { answer: { acceptUrl: expect.stringContaining(made.id) } } }]);
    expect(await remind(new Date())).toEqual([]);
    // Two days later in the row's eyes: created 49 hours ago.
    const old = new Date(Date.now() - 49 * 3600_000).toISOString();
    await env.DB.prepare('update assignments set created_at = ? where id = ?').bind(old, made.id).run();
    const late = await remind(new Date());
    expect(late).toMatchObject([{ template: 'assignment_reminder' }]);
    expect(await remind(new Date())).toEqual([]);
  });
});
