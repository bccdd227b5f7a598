/** DELETE /api/user: the own account and its data. */
import { env } from 'cloudflare:workers';
import { and, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/client';
import { events } from '../../src/db/schema';
import { upcomingIn } from '../../src/events/erasure';
import { addDays, localDate } from '../../src/lib/time';
import { makeGlobalAdmin, rootAsLastAdmin } from '../helpers/admin';
import { call, expectProblem, groupWith, json } from '../helpers/api';
import { createEvent, galleryPhotoInsert, insertEvents, ratingInsert } from '../helpers/events';

const db = env.DB;

/** A gallery photo stored in R2 and D1, as an upload leaves it. */
async function insertPhoto(eventId: string, userId: string) {
  const key = `events/${eventId}/${crypto.randomUUID()}.jpg`;
  await env.PHOTOS.put(key, new Uint8Array([0xff, 0xd8, 0xff, 0xe0]));
  await galleryPhotoInsert(eventId, userId, key, 'image/jpeg').run();
  return key;
}

const rate = (eventId: string, userId: string, stars: number) => ratingInsert(eventId, userId, stars).run();

const count = async (sql: string, ...params: unknown[]) =>
  (await db
    .prepare(sql)
    .bind(...params)
    .first<{ n: number }>())!.n;

describe('happy', () => {
  it('erases the account with its memberships, ratings, photos and upcoming events; past events stay', async () => {
    const { group, users } = await groupWith(2);
    const [leaver, stays] = users as [(typeof users)[0], (typeof users)[0]];
    const today = localDate(group.timeZone);
    const upcomingCover = `events/up-${crypto.randomUUID()}.jpg`;
    const pastCover = `events/past-${crypto.randomUUID()}.jpg`;
    await env.PHOTOS.put(upcomingCover, 'cover');
    await env.PHOTOS.put(pastCover, 'cover');
    const [past, upcoming, othersPast] = (await insertEvents(
      { groupId: group.id, bakerId: leaver.id, date: addDays(today, -7), description: 'Cake', coverKey: pastCover },
      { groupId: group.id, bakerId: leaver.id, date: addDays(today, 7), description: 'Cake', coverKey: upcomingCover },
      { groupId: group.id, bakerId: stays.id, date: addDays(today, -3), description: 'Cake' },
    )) as [string, string, string];
    await rate(past, stays.id, 5);
    await rate(othersPast, leaver.id, 2);
    const ownPhoto = await insertPhoto(othersPast, leaver.id);
    const photoOnUpcoming = await insertPhoto(upcoming, stays.id);
    await db.prepare('update users set calendar_token_hash = ? where id = ?').bind(`hash-${leaver.id}`, leaver.id).run();

    const res = await json(call('DELETE', '/api/user', { token: leaver.token }), 200);
    expect(typeof res.message).toBe('string');

    expect(await count('select count(*) n from users where id = ?', leaver.id)).toBe(0);
    expect(await count('select count(*) n from users where calendar_token_hash = ?', `hash-${leaver.id}`)).toBe(0);
    expect(await count('select count(*) n from memberships where user_id = ?', leaver.id)).toBe(0);
    expect(await count('select count(*) n from ratings where user_id = ?', leaver.id)).toBe(0);
    expect(await count('select count(*) n from event_photos where user_id = ?', leaver.id)).toBe(0);
    expect(await count('select count(*) n from events where id = ?', upcoming)).toBe(0);
    expect(await env.PHOTOS.head(ownPhoto)).toBeNull();
    expect(await env.PHOTOS.head(upcomingCover)).toBeNull();
    expect(await env.PHOTOS.head(pastCover)).toBeNull();
    expect(await env.PHOTOS.head(photoOnUpcoming)).toBeNull();

    const pastRow = await db
      .prepare('select baker_id, cover_photo_key, rating_count from events where id = ?')
      .bind(past)
      .first<any>();
    expect(pastRow).toEqual({ baker_id: null, cover_photo_key: null, rating_count: 1 });
    const othersRow = await db.prepare('select rating_count, rating_sum from events where id = ?').bind(othersPast).first<any>();
    expect(othersRow).toEqual({ rating_count: 0, rating_sum: 0 });

    await expectProblem(call('GET', '/api/user', { token: leaver.token }), 401, 'invalid_token');
    await expectProblem(
      call('POST', '/api/auth/login', { body: { email: leaver.email, password: leaver.password } }),
      401,
      'invalid_credentials',
    );
    // The other member is untouched and sees the past event by "Deleted user".
    await json(call('GET', '/api/user', { token: stays.token }), 200);
    const shown = await json(call('GET', `/api/events/${past}`, { token: stays.token }), 200);
    expect(shown).toMatchObject({ id: past, bakerName: 'Deleted user', photoUrl: null });
    await expectProblem(call('GET', `/api/events/${upcoming}`, { token: stays.token }), 404);
  });

  it('takes the right password when one is sent', async () => {
    const {
      users: [u],
    } = await groupWith(1);
    await json(call('DELETE', '/api/user', { token: u!.token, body: { password: u!.password } }), 200);
    expect(await count('select count(*) n from users where id = ?', u!.id)).toBe(0);
  });

  it('lets a global admin go while another one remains', async () => {
    const { token: root } = await rootAsLastAdmin();
    const {
      users: [second],
    } = await groupWith(1);
    await makeGlobalAdmin(second!.id);
    await json(call('DELETE', '/api/user', { token: second!.token }), 200);
    await json(call('GET', '/api/user', { token: root }), 200);
  });

  it('erases a member of many groups, each in its own time zone', async () => {
    const {
      users: [u],
    } = await groupWith(1);
    const zones = Intl.supportedValuesOf('timeZone').slice(0, 60);
    const groupIds = zones.map(() => crypto.randomUUID());
    const now = new Date().toISOString();
    await db.batch(
      zones.flatMap((tz, i) => [
        db
          .prepare('insert into groups (id, name, time_zone, created_at) values (?, ?, ?, ?)')
          .bind(groupIds[i], `Zone ${groupIds[i]}`, tz, now),
        db
          .prepare("insert into memberships (user_id, group_id, role, created_at) values (?, ?, 'member', ?)")
          .bind(u!.id, groupIds[i], now),
      ]),
    );
    const [upcoming] = await insertEvents({ groupId: groupIds[0]!, bakerId: u!.id, date: addDays(localDate(zones[0]!), 3) });

    await json(call('DELETE', '/api/user', { token: u!.token }), 200);
    expect(await count('select count(*) n from users where id = ?', u!.id)).toBe(0);
    expect(await count('select count(*) n from events where id = ?', upcoming)).toBe(0);
  });

  it('judges "upcoming" in the erasing statement after today in each event’s own group’s time zone, when the statement runs', async () => {
    const east = await groupWith(1, { timeZone: 'Pacific/Kiritimati' }); // UTC+14
    const west = await groupWith(1, { timeZone: 'Pacific/Pago_Pago' }); // UTC-11
    const [kiri, pago] = [east.users[0]!, west.users[0]!];
    const kiriToday = localDate('Pacific/Kiritimati');
    const pagoToday = localDate('Pacific/Pago_Pago');
    const cases = [
      { user: kiri, date: kiriToday, upcoming: false },
      { user: kiri, date: addDays(kiriToday, 1), upcoming: true },
      { user: pago, date: pagoToday, upcoming: false },
      { user: pago, date: addDays(pagoToday, 1), upcoming: true },
    ];
    const ids = [];
    for (const c of cases) ids.push((await createEvent(c.user, { date: c.date })).id);
    const orm = createDb(env.DB);
    const found = await orm
      .select({ id: events.id })
      .from(events)
      .where(and(inArray(events.id, ids), upcomingIn(['Pacific/Kiritimati', 'Pacific/Pago_Pago'])));
    expect(new Set(found.map((r) => r.id))).toEqual(new Set(ids.filter((_, i) => cases[i]!.upcoming)));
    // A zone left out of the list never counts as upcoming.
    expect(
      await orm
        .select({ id: events.id })
        .from(events)
        .where(and(inArray(events.id, ids), upcomingIn(['Pacific/Kiritimati']))),
    ).toHaveLength(1);
  });
});

describe('bad input', () => {
  it('refuses the last active global admin with 409, keeping the account', async () => {
    const { token: root } = await rootAsLastAdmin();
    await expectProblem(call('DELETE', '/api/user', { token: root }), 409, 'last_admin');
    await json(call('GET', '/api/user', { token: root }), 200);
  });
});

describe('security', () => {
  it('refuses a wrong password (401), keeping the account', async () => {
    const {
      users: [u],
    } = await groupWith(1);
    await expectProblem(
      call('DELETE', '/api/user', { token: u!.token, body: { password: 'Not-The-Password-1' } }),
      401,
      'invalid_credentials',
    );
    expect(await count('select count(*) n from users where id = ?', u!.id)).toBe(1);
  });
});
