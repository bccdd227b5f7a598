/**
 * Dietary information: what a cake contains and whom it suits (CakeEvent
 * `allergens`, `suitableFor`, the caller's `suitsMe`), the user's own
 * profile (health data: only they see it), and the counts bakers and admins
 * see (`dietaryNeeds`, never names).
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { needsSentence } from '../../src/events/dietary';
import { sendReminders } from '../../src/mail/reminders';
import { renderMail } from '../../src/mail/templates';
import { addMember, adminToken, call, createGroup, expectProblem, groupWith, json, type TestUser, userIn } from '../helpers/api';
import { createEvent, dayIn, eventForm } from '../helpers/events';
import { recordingQueue } from '../helpers/mailbox';

type Profile = { avoids: string[]; diet: 'vegetarian' | 'vegan' | null };

const setDietary = (user: TestUser, dietary: Profile) =>
  json<any>(call('POST', '/api/user/settings', { token: user.token, body: { dietary } }), 200);

const cake = (user: TestUser, body: Record<string, unknown>) =>
  json<any>(call('POST', '/api/events', { token: user.token, body }), 201).then((r) => r.event);

const detail = (user: TestUser, id: string) => json<any>(call('GET', `/api/events/${id}`, { token: user.token }), 200);

describe('happy', () => {
  it('states allergens and diets on create (JSON and multipart) and shows them in lists and the detail', async () => {
    const { group, users } = await groupWith(2);
    const [baker, other] = users as [TestUser, TestUser];
    const stated = await cake(baker, {
      date: dayIn(3),
      groupId: group.id,
      allergens: ['nuts', 'gluten'],
      suitableFor: ['vegan'],
    });
    expect(stated).toMatchObject({ allergens: ['gluten', 'nuts'], suitableFor: ['vegan'], suitsMe: true });
    const form = eventForm({ date: dayIn(4), groupId: group.id, allergens: [], suitableFor: ['vegetarian'] });
    const multipart = (await json<any>(call('POST', '/api/events', { token: baker.token, form }), 201)).event;
    expect(multipart).toMatchObject({ allergens: [], suitableFor: ['vegetarian'] });

    // Without the new fields, as the web frontend sends it: not stated.
    const plain = await createEvent(baker, { date: dayIn(5), groupId: group.id });
    expect(plain).toMatchObject({ allergens: null, suitableFor: [], suitsMe: true });

    const list = await json<any[]>(call('GET', `/api/events?start=${dayIn(3)}&end=${dayIn(5)}`, { token: other.token }), 200);
    expect(list.map((e) => [e.allergens, e.suitableFor])).toEqual([
      [['gluten', 'nuts'], ['vegan']],
      [[], ['vegetarian']],
      [null, []],
    ]);
    expect((await detail(other, stated.id)).allergens).toEqual(['gluten', 'nuts']);
  });

  it('tells each caller whether a cake suits them: false wins over null, null when nothing was stated', async () => {
    const { group, users } = await groupWith(5);
    const [baker, nutFree, vegan, vegetarian, veganNutFree] = users as [TestUser, TestUser, TestUser, TestUser, TestUser];
    await setDietary(nutFree, { avoids: ['nuts'], diet: null });
    await setDietary(vegan, { avoids: [], diet: 'vegan' });
    await setDietary(vegetarian, { avoids: [], diet: 'vegetarian' });
    await setDietary(veganNutFree, { avoids: ['nuts'], diet: 'vegan' });
    const cakes = {
      nutsVegan: await cake(baker, { date: dayIn(2), groupId: group.id, allergens: ['nuts'], suitableFor: ['vegan'] }),
      noneVegetarian: await cake(baker, { date: dayIn(3), groupId: group.id, allergens: [], suitableFor: ['vegetarian'] }),
      nothingStated: await cake(baker, { date: dayIn(4), groupId: group.id }),
      nutsUnstatedDiet: await cake(baker, { date: dayIn(5), groupId: group.id, allergens: ['nuts'] }),
    };
    const suits = async (user: TestUser) =>
      Object.fromEntries(await Promise.all(Object.entries(cakes).map(async ([k, e]) => [k, (await detail(user, e.id)).suitsMe])));
    expect(await suits(nutFree)).toEqual({
      nutsVegan: false,
      noneVegetarian: true,
      nothingStated: null,
      nutsUnstatedDiet: false,
    });
    expect(await suits(vegan)).toEqual({ nutsVegan: true, noneVegetarian: false, nothingStated: null, nutsUnstatedDiet: null });
    expect(await suits(vegetarian)).toEqual({
      nutsVegan: true,
      noneVegetarian: true,
      nothingStated: null,
      nutsUnstatedDiet: null,
    });
    // The stated nuts decide even where the diet is unknown.
    expect(await suits(veganNutFree)).toEqual({
      nutsVegan: false,
      noneVegetarian: false,
      nothingStated: null,
      nutsUnstatedDiet: false,
    });
    expect(await suits(baker)).toEqual({ nutsVegan: true, noneVegetarian: true, nothingStated: true, nutsUnstatedDiet: true });
  });

  it('keeps the own profile in GET /api/user, the settings answer and the login answer', async () => {
    const { users } = await groupWith(1);
    const [me] = users as [TestUser];
    expect((await json<any>(call('GET', '/api/user', { token: me.token }), 200)).dietary).toEqual({ avoids: [], diet: null });
    const answer = await setDietary(me, { avoids: ['sesame', 'milk'], diet: 'vegetarian' });
    expect(answer.dietary).toEqual({ avoids: ['milk', 'sesame'], diet: 'vegetarian' });
    expect((await json<any>(call('GET', '/api/user', { token: me.token }), 200)).dietary).toEqual(answer.dietary);
    const login = await json<any>(call('POST', '/api/auth/login', { body: { email: me.email, password: me.password } }), 200);
    expect(login.user.dietary).toEqual(answer.dietary);
    // The other settings leave it as it is.
    expect(
      (await json<any>(call('POST', '/api/user/settings', { token: me.token, body: { language: 'de' } }), 200)).dietary,
    ).toEqual(answer.dietary);
  });

  it('counts the needs of the members there that day for the baker, the group admin and a global admin', async () => {
    const { group, users } = await groupWith(4);
    const [baker, a, b, away] = users as [TestUser, TestUser, TestUser, TestUser];
    const groupAdmin = await userIn(group.id);
    await addMember(groupAdmin.id, group.id, 'admin');
    await setDietary(a, { avoids: ['nuts', 'milk'], diet: 'vegetarian' });
    await setDietary(b, { avoids: ['nuts'], diet: 'vegan' });
    await setDietary(away, { avoids: ['eggs'], diet: 'vegan' });
    const event = await cake(baker, { date: dayIn(7), groupId: group.id });
    await json(call('POST', '/api/user/absences', { token: away.token, body: { from: dayIn(6), to: dayIn(8) } }), 201);

    const needs = { avoids: { milk: 1, nuts: 2 }, vegetarian: 1, vegan: 1 };
    expect((await detail(baker, event.id)).dietaryNeeds).toEqual(needs);
    expect((await detail(groupAdmin, event.id)).dietaryNeeds).toEqual(needs);
    const admin = await json<any>(call('GET', `/api/events/${event.id}`, { token: await adminToken() }), 200);
    expect(admin.dietaryNeeds).toEqual(needs);
  });

  it('states the allergens in the calendar in the caller’s language', async () => {
    const { group, users } = await groupWith(2);
    const [baker, german] = users as [TestUser, TestUser];
    await json(call('POST', '/api/user/settings', { token: german.token, body: { language: 'de' } }), 200);
    const event = await cake(baker, {
      date: dayIn(2),
      groupId: group.id,
      description: 'Nusskuchen',
      allergens: ['nuts', 'eggs'],
    });
    const unfold = (text: string) => text.replace(/\r\n[\t ]/g, '');
    const en = unfold(await (await call('GET', `/api/events/${event.id}/ics`, { token: baker.token })).text());
    expect(en).toContain('DESCRIPTION:Nusskuchen\\n\\nAllergens: eggs\\, nuts');
    const de = unfold(await (await call('GET', `/api/events/${event.id}/ics`, { token: german.token })).text());
    expect(de).toContain('DESCRIPTION:Nusskuchen\\n\\nAllergene: Eier\\, Schalenfrüchte');
  });

  it('lists the counts in the baker’s reminder, without names', async () => {
    const group = await createGroup({ timeZone: 'UTC' });
    const baker = await userIn(group.id);
    const eater = await userIn(group.id);
    await setDietary(eater, { avoids: ['peanuts'], diet: 'vegan' });
    const now = new Date();
    const tomorrow = new Date(now.getTime() + 86_400_000).toISOString().slice(0, 10);
    await env.DB.prepare('insert into events (id, group_id, baker_id, date, created_at) values (?, ?, ?, ?, ?)')
      .bind(crypto.randomUUID(), group.id, baker.id, tomorrow, now.toISOString())
      .run();
    const { queue, mails } = recordingQueue();
    await sendReminders({ ...env, MAIL_QUEUE: queue }, now);
    const mine = mails.filter((m) => m.to === baker.email);
    expect(mine).toHaveLength(1);
    const text = renderMail('reminder', 'en', mine[0]!.data as never).text;
    expect(text).toContain('Who is there tomorrow (no names): avoid: peanuts 1; vegan 1.');
    expect(text).not.toContain(eater.name);
    expect(needsSentence({ avoids: { nuts: 2 }, vegetarian: 1, vegan: 0 }, 'de')).toBe(
      'Wer morgen da ist (ohne Namen): meiden: Schalenfrüchte 2; vegetarisch 1.',
    );
  });
});

describe('bad input', () => {
  it('refuses unknown allergens, duplicates, too many and unknown diets, and creates nothing', async () => {
    const { group, users } = await groupWith(1);
    const [baker] = users as [TestUser];
    const date = dayIn(9);
    for (const fields of [
      { allergens: ['chocolate'] },
      { allergens: ['nuts', 'nuts'] },
      { allergens: Array.from({ length: 15 }, () => 'milk') },
      { allergens: 'nuts' },
      { suitableFor: ['pescetarian'] },
      { suitableFor: ['vegan', 'vegan'] },
    ]) {
      await expectProblem(call('POST', '/api/events', { token: baker.token, body: { date, groupId: group.id, ...fields } }), 400);
    }
    const listed = await json<any[]>(call('GET', `/api/events?start=${date}&end=${date}`, { token: baker.token }), 200);
    expect(listed).toEqual([]);
  });

  it('refuses a malformed profile and keeps the old one', async () => {
    const { users } = await groupWith(1);
    const [me] = users as [TestUser];
    await setDietary(me, { avoids: ['fish'], diet: null });
    for (const dietary of [
      { avoids: ['fish'], diet: 'carnivore' },
      { avoids: ['fish', 'fish'], diet: null },
      { avoids: ['plastic'], diet: null },
      { avoids: ['fish'] },
    ]) {
      await expectProblem(call('POST', '/api/user/settings', { token: me.token, body: { dietary } }), 400);
    }
    expect((await json<any>(call('GET', '/api/user', { token: me.token }), 200)).dietary).toEqual({
      avoids: ['fish'],
      diet: null,
    });
  });
});

describe('security', () => {
  it('shows nobody else a profile: not in the admin lists, the co-members or the admin answers', async () => {
    const { group, users } = await groupWith(2);
    const [me, colleague] = users as [TestUser, TestUser];
    await setDietary(me, { avoids: ['celery'], diet: 'vegan' });
    const admin = await adminToken();
    const seen = [
      await (await call('GET', '/api/admin/users?limit=1000', { token: admin })).text(),
      await (await call('GET', '/api/users', { token: colleague.token })).text(),
      await (await call('GET', '/api/users', { token: admin })).text(),
      await (await call('PUT', `/api/admin/users/${me.id}/status`, { token: admin, body: { isActive: true } })).text(),
      await (await call('GET', `/api/groups/${group.id}/rotation`, { token: colleague.token })).text(),
    ];
    for (const body of seen) {
      expect(body).not.toContain('dietary');
      expect(body).not.toContain('celery');
    }
  });

  it('gives the counts to nobody but the baker and admins, and not on a past cake', async () => {
    const { group, users } = await groupWith(3);
    const [baker, member, eater] = users as [TestUser, TestUser, TestUser];
    await setDietary(eater, { avoids: ['lupin'], diet: null });
    const upcoming = await cake(baker, { date: dayIn(3), groupId: group.id });
    const past = await cake(baker, { date: dayIn(-3), groupId: group.id });
    expect(await detail(member, upcoming.id)).not.toHaveProperty('dietaryNeeds');
    expect(await detail(eater, upcoming.id)).not.toHaveProperty('dietaryNeeds');
    expect(await detail(baker, past.id)).not.toHaveProperty('dietaryNeeds');
    // No list carries them.
    const list = await json<any[]>(call('GET', `/api/events?start=${dayIn(-3)}&end=${dayIn(3)}`, { token: baker.token }), 200);
    for (const e of list) expect(e).not.toHaveProperty('dietaryNeeds');
  });

  it('erases the profile with the account', async () => {
    const { users } = await groupWith(1);
    const [me] = users as [TestUser];
    await setDietary(me, { avoids: ['mustard'], diet: 'vegetarian' });
    await json(call('DELETE', '/api/user', { token: me.token, body: { password: me.password } }), 200);
    const row = await env.DB.prepare('select count(*) n from users where id = ? or (dietary_avoids <> 0 and email = ?)')
      .bind(me.id, me.email)
      .first<{ n: number }>();
    expect(row!.n).toBe(0);
  });
});
