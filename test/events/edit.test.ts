/** PATCH /api/events/{id}: changing a cake's description, date and dietary fields. */
import { env } from 'cloudflare:workers';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { addMember, adminToken, call, expectProblem, groupWith, json, type TestUser, userIn } from '../helpers/api';
import { createEvent, dayIn } from '../helpers/events';
import { callWithMailbox } from '../helpers/mailbox';

const patch = (user: TestUser | string, id: string, body: unknown) =>
  call('PATCH', `/api/events/${id}`, { token: typeof user === 'string' ? user : user.token, body });

/** The VEVENT of the single-event download, as ical.js reads it. */
async function vevent(user: TestUser, id: string) {
  const text = await (await call('GET', `/api/events/${id}/ics`, { token: user.token })).text();
  const event = new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent('vevent')!;
  return {
    uid: event.getFirstPropertyValue('uid'),
    sequence: event.getFirstPropertyValue('sequence'),
    start: String(event.getFirstPropertyValue('dtstart')),
  };
}

describe('happy', () => {
  it('lets the baker move an upcoming cake: same calendar UID, higher SEQUENCE, members mailed', async () => {
    const { group, users } = await groupWith(3);
    const [baker, member] = users as [TestUser, TestUser];
    const event = await createEvent(baker, { date: dayIn(5), groupId: group.id, description: 'Apfelkuchen' });
    const before = await vevent(member, event.id);
    expect(before.sequence).toBe(0);

    const { res, mails } = await callWithMailbox('PATCH', `/api/events/${event.id}`, {
      token: baker.token,
      body: { date: dayIn(6) },
    });
    const changed = await json<any>(res, 200);
    expect(changed).toMatchObject({ id: event.id, date: dayIn(6), description: 'Apfelkuchen', isOwner: true });
    expect(mails.map((m) => m.template)).toEqual(['event_moved', 'event_moved']);
    expect(mails[0]!.data).toMatchObject({ from: dayIn(5), date: dayIn(6) });

    const after = await vevent(member, event.id);
    expect(after.uid).toBe(before.uid);
    expect(after.sequence).toBe(1);
    expect(after.start).toBe(dayIn(6));
  });

  it('changes description and dietary fields without mailing anyone; an unchanged value keeps the SEQUENCE', async () => {
    const { group, users } = await groupWith(2);
    const [baker, member] = users as [TestUser, TestUser];
    const event = await createEvent(baker, { date: dayIn(4), groupId: group.id, description: 'Torte' });
    const { res, mails } = await callWithMailbox('PATCH', `/api/events/${event.id}`, {
      token: baker.token,
      body: { description: 'Torte, vegan', allergens: ['gluten'], suitableFor: ['vegan'] },
    });
    expect(await json<any>(res, 200)).toMatchObject({
      description: 'Torte, vegan',
      allergens: ['gluten'],
      suitableFor: ['vegan'],
    });
    expect(mails).toEqual([]);
    expect((await vevent(member, event.id)).sequence).toBe(1);
    // The same values again, or the suitability alone (not in the entry): no new SEQUENCE.
    await json(patch(baker, event.id, { description: 'Torte, vegan', suitableFor: ['vegetarian'] }), 200);
    expect((await vevent(member, event.id)).sequence).toBe(1);
    // `allergens: null` states "not stated" again; an empty object changes nothing.
    expect((await json<any>(patch(baker, event.id, { allergens: null }), 200)).allergens).toBeNull();
    expect((await json<any>(patch(baker, event.id, {}), 200)).description).toBe('Torte, vegan');
  });

  it('lets a group admin and a global admin edit a past cake’s description', async () => {
    const { group, users } = await groupWith(1);
    const [baker] = users as [TestUser];
    const groupAdmin = await userIn(group.id);
    await addMember(groupAdmin.id, group.id, 'admin');
    const past = await createEvent(baker, { date: dayIn(-2), groupId: group.id });
    await json(patch(groupAdmin, past.id, { description: 'It was a Sachertorte' }), 200);
    await json(patch(await adminToken(), past.id, { description: 'A Sachertorte, really' }), 200);
    const stored = await env.DB.prepare('select description from events where id = ?')
      .bind(past.id)
      .first<{ description: string }>();
    expect(stored!.description).toBe('A Sachertorte, really');
  });
});

describe('bad input', () => {
  it('refuses a date in the past and moving a past cake (409), and changes nothing', async () => {
    const { group, users } = await groupWith(1);
    const [baker] = users as [TestUser];
    const admin = await adminToken();
    const upcoming = await createEvent(baker, { date: dayIn(3), groupId: group.id });
    const past = await createEvent(baker, { date: dayIn(-3), groupId: group.id });
    await expectProblem(patch(baker, upcoming.id, { date: dayIn(-1) }), 409, 'conflict');
    await expectProblem(patch(admin, past.id, { date: dayIn(2) }), 409, 'conflict');
    const dates = await env.DB.prepare('select date from events where id in (?, ?) order by date')
      .bind(upcoming.id, past.id)
      .all<{ date: string }>();
    expect(dates.results.map((r) => r.date)).toEqual([dayIn(-3), dayIn(3)]);
  });

  it('refuses malformed fields with 400 and unknown events with 404', async () => {
    const { group, users } = await groupWith(1);
    const [baker] = users as [TestUser];
    const event = await createEvent(baker, { date: dayIn(3), groupId: group.id, description: 'Kept' });
    for (const body of [
      { date: '2026-02-30' },
      { description: 'x'.repeat(2001) },
      { allergens: ['gluten', 'gluten'] },
      { suitableFor: ['keto'] },
      { date: 20261224 },
    ]) {
      await expectProblem(patch(baker, event.id, body), 400);
    }
    await expectProblem(patch(baker, crypto.randomUUID(), { description: 'x' }), 404, 'not_found');
    expect((await json<any>(call('GET', `/api/events/${event.id}`, { token: baker.token }), 200)).description).toBe('Kept');
  });
});

describe('security', () => {
  it('refuses another member (403), the baker of a past cake (403) and another group (404)', async () => {
    const { group, users } = await groupWith(2);
    const [baker, member] = users as [TestUser, TestUser];
    const outsider = (await groupWith(1)).users[0]!;
    const upcoming = await createEvent(baker, { date: dayIn(3), groupId: group.id, description: 'Mine' });
    const past = await createEvent(baker, { date: dayIn(-3), groupId: group.id, description: 'Mine too' });
    await expectProblem(patch(member, upcoming.id, { description: 'Taken over' }), 403, 'forbidden');
    await expectProblem(patch(baker, past.id, { description: 'Rewritten' }), 403, 'forbidden');
    await expectProblem(patch(outsider, upcoming.id, { description: 'Hi' }), 404, 'not_found');
    const rows = await env.DB.prepare('select description from events where id in (?, ?) order by date')
      .bind(upcoming.id, past.id)
      .all<{ description: string }>();
    expect(rows.results.map((r) => r.description)).toEqual(['Mine too', 'Mine']);
  });

  it('two moves at once: one applies, the other is refused, and the SEQUENCE counts one change', async () => {
    const { group, users } = await groupWith(1);
    const [baker] = users as [TestUser];
    const event = await createEvent(baker, { date: dayIn(3), groupId: group.id });
    const answers = await Promise.all([dayIn(4), dayIn(5), dayIn(6), dayIn(7)].map((date) => patch(baker, event.id, { date })));
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
    const row = await env.DB.prepare('select date, sequence from events where id = ?')
      .bind(event.id)
      .first<{ date: string; sequence: number }>();
    expect(row!.sequence).toBe(statuses.filter((s) => s === 200).length);
  });
});
