/**
 * Moving in from the original CakePlanner server: an original database and
 * upload folder (test/import/fixture.ts) imported into the local D1 and R2,
 * then used through HTTP like any other data.
 */

import { env } from 'cloudflare:workers';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { type Kind, nothingNew } from '../../scripts/import/summary';
import { CURRENT, verifyPassword } from '../../src/auth/password';
import { call, json } from '../helpers/api';
import { pathOf } from '../helpers/events';
import { temporaryPasswordOf } from '../helpers/mailbox';
import { clearOfStepBoundary, totpCode } from '../helpers/totp';
import { BEN_TOTP, buildOriginalDatabase, originalFixture, TRICKY_DESCRIPTION } from './fixture';
import { runImport } from './harness';
import { ORIGINAL_PASSWORDS } from './original-passwords';

async function imported() {
  const f = originalFixture();
  await buildOriginalDatabase(f);
  const plan = await runImport({ files: f.files });
  return { f, plan };
}

const login = (email: string, password: string, code?: string) =>
  call('POST', '/api/auth/login', { body: { email, password, ...(code ? { code } : {}) } });

const storedHash = async (id: string) =>
  (await env.DB.prepare('SELECT password_hash FROM users WHERE id = ?').bind(id).first<{ password_hash: string }>())!
    .password_hash;

const reasonsOf = (plan: Awaited<ReturnType<typeof runImport>>, kind: Kind) =>
  Object.fromEntries(plan.summary.skipped.filter((s) => s.kind === kind).map((s) => [s.id, s.reason]));

describe('npm run import: the summary', () => {
  it('counts every kind of row and gives each skipped one its reason', async () => {
    const { f, plan } = await imported();
    const { counts, notes } = plan.summary;
    expect(counts.users).toEqual({ source: 9, new: 6, unchanged: 0, different: 0, skipped: 3 });
    expect(counts.groups).toEqual({ source: 2, new: 2, unchanged: 0, different: 0, skipped: 0 });
    expect(counts.memberships).toEqual({ source: 9, new: 8, unchanged: 0, different: 0, skipped: 1 });
    expect(counts.events).toEqual({ source: 6, new: 4, unchanged: 0, different: 0, skipped: 2 });
    expect(counts.ratings).toEqual({ source: 13, new: 10, unchanged: 0, different: 0, skipped: 3 });
    expect(counts['gallery photos']).toEqual({ source: 3, new: 1, unchanged: 0, different: 0, skipped: 2 });
    expect(counts['cover photos']).toEqual({ source: 3, new: 1, unchanged: 0, different: 0, skipped: 2 });

    const { users: u, events: e } = f;
    expect(reasonsOf(plan, 'users')).toEqual({
      [u.doraTwin]: `duplicate email after normalization: dora.${f.tag}@example.com is imported as user ${u.dora}`,
      [u.eve]: `email "not-an-email-${f.tag}": Invalid email address`,
      [u.fritz]: 'name "Fritz\\u0007Bell": Must not contain line breaks or control characters',
    });
    expect(reasonsOf(plan, 'events')).toEqual({
      [e.impossible]: 'invalid date "2024-02-30"',
      [e.twins]: `baker ${u.doraTwin} is not imported (duplicate email after normalization: dora.${f.tag}@example.com is imported as user ${u.dora})`,
    });
    expect(reasonsOf(plan, 'ratings')).toEqual({
      [`${e.kirsch}|${u.doraTwin}`]: expect.stringMatching(new RegExp(`^rater ${u.doraTwin} is not imported \\(duplicate email`)),
      [`${e.apfel}|${u.deleted}`]: 'stars "4.5" are not a whole number from 1 to 5',
      [`${e.impossible}|${u.anna}`]: `event ${e.impossible} is not imported (invalid date "2024-02-30")`,
    });
    expect(reasonsOf(plan, 'cover photos')).toEqual({
      [e.apfel]: 'file missing-cover.jpg is missing',
      [e.streusel]: 'file streusel-notes.jpg is not a JPEG, PNG, WebP, GIF, HEIC or AVIF image',
    });
    expect(reasonsOf(plan, 'gallery photos')).toEqual({
      [`${e.kirsch}|${u.dora}`]: 'file dora-kirsch-missing.jpg is missing',
      [`${e.apfel}|${u.anna}`]: 'file anna-apfel.jpg is not a JPEG, PNG, WebP, GIF, HEIC or AVIF image',
    });
    expect(notes).toContain(
      `user ${u.admin} ${f.emails.admin}: an admin whose password is still the original's default (admin123): ` +
        'imported without a password; they sign in through forgot-password (a temporary password by mail)',
    );
    expect(notes.some((n) => n.startsWith(`user ${u.deleted} `) && n.includes('no Argon2id password hash'))).toBe(true);
  });

  it('a dry run plans the same and writes nothing', async () => {
    const f = originalFixture();
    await buildOriginalDatabase(f);
    const plan = await runImport({ files: f.files, dryRun: true });
    expect(plan.summary.counts.users.new).toBe(6);
    expect(await env.DB.prepare('SELECT count(*) AS n FROM users WHERE id = ?').bind(f.users.anna).first('n')).toBe(0);
    expect(plan.photos).toHaveLength(2);
    for (const photo of plan.photos) expect(await env.PHOTOS.head(photo.key)).toBeNull();
  });
});

describe('npm run import: accounts', () => {
  it('logs in with the imported password, re-hashed with this project’s parameters afterwards', async () => {
    const { f } = await imported();
    expect(await storedHash(f.users.anna)).toBe(env.TEST_ORIGINAL_HASHES.member.original);
    const { user } = await json(login(f.emails.anna, ORIGINAL_PASSWORDS.member), 200);
    expect(user).toMatchObject({
      name: 'Anna Becker',
      email: f.emails.anna,
      language: 'de',
      emailLanguage: 'de',
      isActive: true,
    });
    // The primary group is the oldest membership; roles carry over.
    expect(user).toMatchObject({ groupId: f.groups.office, groupRole: 'member' });
    expect(user.groups).toEqual(
      expect.arrayContaining([
        { id: f.groups.office, name: f.names.office, role: 'member' },
        { id: f.groups.club, name: f.names.club, role: 'admin' },
      ]),
    );

    const rehashed = await storedHash(f.users.anna);
    expect(rehashed.startsWith(`$argon2id$v=19$m=${CURRENT.m},t=${CURRENT.t},p=${CURRENT.p}$`)).toBe(true);
    expect(await verifyPassword(rehashed, ORIGINAL_PASSWORDS.member)).toBe(true);
    await json(login(f.emails.anna, ORIGINAL_PASSWORDS.member), 200);
    await json(login(f.emails.anna, 'Wrong-Password-1'), 401);
  });

  it('logs in with 2FA using the secret of the existing authenticator app', async () => {
    const { f } = await imported();
    const stored = await env.DB.prepare('SELECT totp_secret FROM users WHERE id = ?')
      .bind(f.users.ben)
      .first<{ totp_secret: string }>();
    expect(stored!.totp_secret).not.toContain(BEN_TOTP);
    expect(await json(login(f.emails.ben, ORIGINAL_PASSWORDS.member), 200)).toEqual({ require2fa: true });
    await clearOfStepBoundary();
    const { user } = await json(login(f.emails.ben, ORIGINAL_PASSWORDS.member, totpCode(BEN_TOTP)), 200);
    expect(user).toMatchObject({ has2FA: true, groupId: f.groups.club });
  });

  it('keeps the inactive account inactive, takes short passwords and any case', async () => {
    const { f } = await imported();
    const inactive = await json(login(f.emails.carla, ORIGINAL_PASSWORDS.member), 403);
    expect(inactive.code).toBe('account_inactive');

    // Stored lower-cased; the original's "Dora.<tag>@Example.com" signs in typed either way.
    const dora = await json(login(f.emails.dora.toUpperCase(), ORIGINAL_PASSWORDS.short), 200);
    expect(dora.user.email).toBe(f.emails.dora.toLowerCase());
  });
});

describe('npm run import: the default admin', () => {
  it('refuses the public default password; only the mailbox owner gets in, through forgot-password', async () => {
    const { f } = await imported();
    expect(await storedHash(f.users.admin)).toBe('');
    expect((await json(login(f.emails.admin, ORIGINAL_PASSWORDS.defaultAdmin), 401)).code).toBe('invalid_credentials');

    const temporary = await temporaryPasswordOf(f.emails.admin);
    const admin = await json(login(f.emails.admin, temporary), 200);
    expect(admin.user).toMatchObject({ isAdmin: true, mustChangePassword: true, groupId: f.groups.office, groupRole: 'admin' });
    const blocked = await json(call('GET', '/api/events/ranked', { token: admin.token }), 403);
    expect(blocked.code).toBe('password_change_required');
  });
});

describe('npm run import: cakes, ratings, photos', () => {
  it('lists the events, ranks the Hall of Fame, loads the photos and renders the calendar', async () => {
    const { f } = await imported();
    const { token } = await json(login(f.emails.anna, ORIGINAL_PASSWORDS.member), 200);
    const e = f.events;

    const events = await json(call('GET', '/api/events?start=2024-01-01&end=2024-12-31', { token }), 200);
    expect(events.map((x: any) => x.id)).toEqual([e.kirsch, e.apfel, e.streusel, e.verein]);
    const kirsch = events[0];
    expect(kirsch).toMatchObject({
      date: '2024-03-15',
      description: TRICKY_DESCRIPTION,
      bakerName: 'Anna Becker',
      groupName: f.names.office,
      createdAt: '2024-03-01T08:00:00.000Z',
      rating: { average: 4.5, count: 4, myRating: 0 },
    });
    expect(events[1]).toMatchObject({ photoUrl: null, rating: { average: 2.5, count: 2, myRating: 3 } });
    expect(events[3]).toMatchObject({ description: '', photoUrl: null });

    const ranked = await json(call('GET', '/api/events/ranked', { token }), 200);
    expect(ranked.map((x: any) => x.id)).toEqual([e.streusel, e.kirsch, e.verein, e.apfel]);

    // The cover named .jpg holds a PNG: stored and served as one.
    const cover = await call('GET', pathOf(kirsch.photoUrl));
    expect(cover.status).toBe(200);
    expect(cover.headers.get('content-type')).toBe('image/png');
    expect(new Uint8Array(await cover.arrayBuffer())).toEqual(f.files.get('kirsch-cover.jpg'));
    expect(kirsch.gallery).toHaveLength(1);
    expect(kirsch.gallery[0]).toMatchObject({
      userId: f.users.ben,
      userName: 'Ben Okafor',
      uploadedAt: '2024-04-11T12:30:00.000Z',
    });
    const gallery = await call('GET', pathOf(kirsch.gallery[0].url));
    expect(gallery.headers.get('content-type')).toBe('image/jpeg');
    expect(new Uint8Array(await gallery.arrayBuffer())).toEqual(f.files.get('ben-kirsch.jpg'));

    const ics = await call('GET', `/api/events/${e.kirsch}/ics`, { token });
    expect(ics.status).toBe(200);
    const text = await ics.text();
    for (const line of text.split('\r\n')) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const vevents = new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vevent');
    expect(vevents).toHaveLength(1);
    expect(new ICAL.Event(vevents[0]!).description).toBe(TRICKY_DESCRIPTION.replace(/\r\n|\r/g, '\n'));
  });

  it('leaves every rating aggregate equal to a recount of the imported ratings', async () => {
    const { f } = await imported();
    const ids = Object.values(f.events);
    const { results } = await env.DB.prepare(
      `SELECT e.id, e.rating_count, e.rating_sum, (SELECT count(*) FROM ratings r WHERE r.event_id = e.id) AS n,
              (SELECT coalesce(sum(stars), 0) FROM ratings r WHERE r.event_id = e.id) AS s
       FROM events e WHERE e.id IN (${ids.map(() => '?').join(', ')})`,
    )
      .bind(...ids)
      .all<{ id: string; rating_count: number; rating_sum: number; n: number; s: number }>();
    expect(results).toHaveLength(4);
    for (const row of results) expect([row.rating_count, row.rating_sum], row.id).toEqual([row.n, row.s]);
    const byId = Object.fromEntries(results.map((r) => [r.id, [r.rating_count, r.rating_sum]]));
    expect(byId).toEqual({
      [f.events.kirsch]: [4, 18],
      [f.events.apfel]: [2, 5],
      [f.events.streusel]: [3, 15],
      [f.events.verein]: [1, 4],
    });
  });
});

describe('npm run import: a second run', () => {
  it('changes nothing and says so; after use here it reports what differs and overwrites nothing', async () => {
    const { f } = await imported();
    const snapshot = async () =>
      (await env.DB.prepare(
        `SELECT (SELECT count(*) FROM users) u, (SELECT count(*) FROM memberships) m, (SELECT count(*) FROM events) e,
                  (SELECT count(*) FROM ratings) r, (SELECT count(*) FROM event_photos) p,
                  (SELECT group_concat(rating_count || ':' || rating_sum) FROM events WHERE group_id IN (?, ?)) agg,
                  (SELECT group_concat(feed_version) FROM groups WHERE id IN (?, ?)) feeds`,
      )
        .bind(f.groups.office, f.groups.club, f.groups.office, f.groups.club)
        .first())!;
    const before = await snapshot();

    const again = await runImport({ files: f.files });
    expect(nothingNew(again.summary)).toBe(true);
    expect(again.summary.different).toEqual([]);
    // Notes (the default admin, accounts without a usable password) speak of accounts new here.
    expect(again.summary.notes).toEqual([]);
    expect(again.photos).toEqual([]);
    expect(again.tables.every((t) => t.rows.length === 0)).toBe(true);
    expect(again.summary.counts.users).toEqual({ source: 9, new: 0, unchanged: 6, different: 0, skipped: 3 });
    expect(again.summary.counts.ratings).toEqual({ source: 13, new: 0, unchanged: 10, different: 0, skipped: 3 });
    expect(again.summary.counts['cover photos']).toEqual({ source: 3, new: 0, unchanged: 1, different: 0, skipped: 2 });
    expect(await snapshot()).toEqual(before);

    // Anna logs in (her hash is re-hashed) and re-rates a cake here: a third run keeps both.
    const { token } = await json(login(f.emails.anna, ORIGINAL_PASSWORDS.member), 200);
    await json(call('POST', `/api/events/${f.events.apfel}/rate`, { token, body: { stars: 1 } }), 200);
    const third = await runImport({ files: f.files });
    expect(nothingNew(third.summary)).toBe(true);
    expect(third.summary.different).toEqual(
      expect.arrayContaining([
        { kind: 'users', id: f.users.anna, fields: ['password_hash'] },
        { kind: 'ratings', id: `${f.events.apfel}|${f.users.anna}`, fields: ['stars', 'updated_at'] },
      ]),
    );
    const rating = await env.DB.prepare('SELECT stars FROM ratings WHERE event_id = ? AND user_id = ?')
      .bind(f.events.apfel, f.users.anna)
      .first('stars');
    expect(rating).toBe(1);
    expect(await storedHash(f.users.anna)).not.toBe(env.TEST_ORIGINAL_HASHES.member.original);
  });
});
