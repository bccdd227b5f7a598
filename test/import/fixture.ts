/**
 * A small original CakePlanner server, built in ORIGINAL_DB from the
 * original's own schema (scripts/import/original.ts, as ORIGINAL-DATA.md
 * describes it), with its upload folder. Ids and emails are new for every
 * fixture, so imports of several fixtures never meet in the shared test D1.
 *
 * Who is in it: the original's first admin (password still admin123), Anna
 * (German mails), Ben (2FA), Carla (inactive), Dora (a short password) and
 * a second Dora whose email differs only in case, a user deleted there (no
 * password), one with a bad email, one with a control character in the name.
 * Two groups; events with an impossible date and one by the skipped Dora;
 * ratings (one with 4.5 stars); a PNG cover named .jpg, a missing cover, a
 * text file named .jpg, gallery photos.
 */
import { env } from 'cloudflare:workers';
import { originalSchemaStatements } from '../../scripts/import/original';
import { JPEG_HEADER, PNG_1X1 } from '../helpers/events';

/** A base32 TOTP secret as the original makes them (32 characters). */
export const BEN_TOTP = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

/** CR/LF and every character RFC 5545 escapes, plus umlauts: must render in a valid calendar. */
export const TRICKY_DESCRIPTION =
  'Schwarzwälder Kirsch; mit Sahne, Kirschen\r\nZweite Zeile: \\ Backslash\nEND:VEVENT\r\nDritte; Zeile, 🎂';

export function originalFixture() {
  const tag = crypto.randomUUID().slice(0, 8);
  const id = () => crypto.randomUUID();
  const users = {
    admin: id(),
    anna: id(),
    ben: id(),
    carla: id(),
    dora: id(),
    doraTwin: id(),
    deleted: id(),
    eve: id(),
    fritz: id(),
  };
  const groups = { office: id(), club: id() };
  const events = { kirsch: id(), apfel: id(), impossible: id(), streusel: id(), verein: id(), twins: id() };
  const emails = {
    admin: `admin.${tag}@cakeplanner.local`,
    anna: `anna.${tag}@example.com`,
    ben: `ben.${tag}@example.com`,
    carla: `carla.${tag}@example.com`,
    dora: `Dora.${tag}@Example.com`,
    doraTwin: `dora.${tag}@example.com`,
  };
  const names = { office: `Büro ${tag}`, club: `Verein ${tag}` };
  const files = new Map<string, Uint8Array>([
    ['kirsch-cover.jpg', PNG_1X1],
    ['streusel-notes.jpg', new TextEncoder().encode('not a photo, just notes\n')],
    ['ben-kirsch.jpg', Uint8Array.from([...JPEG_HEADER, 1, 2, 3, 4])],
    ['anna-apfel.jpg', new TextEncoder().encode('hello')],
  ]);
  return { tag, users, groups, events, emails, names, files };
}

export type OriginalFixture = ReturnType<typeof originalFixture>;

/** Writes the fixture into ORIGINAL_DB, replacing whatever original database was there. */
export async function buildOriginalDatabase(f: OriginalFixture): Promise<void> {
  const db = env.ORIGINAL_DB;
  const hashes = env.TEST_ORIGINAL_HASHES;
  const drop = ['event_photos', 'ratings', 'events', 'group_members', 'groups', 'users'].map((t) =>
    db.prepare(`DROP TABLE IF EXISTS ${t}`),
  );
  await db.batch([...drop, ...originalSchemaStatements().map((s) => db.prepare(s))]);

  const user = (
    key: keyof OriginalFixture['users'],
    name: string,
    email: string,
    hash: string,
    extra: Record<string, unknown>,
    createdAt: string,
  ) =>
    db
      .prepare(
        `INSERT INTO users (id, full_name, email, password_hash, email_language, totp_secret, is_active, is_admin, must_change_password, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?)`,
      )
      .bind(
        f.users[key],
        name,
        email,
        hash,
        extra.lang ?? 'en',
        extra.totp ?? null,
        extra.active ?? 1,
        extra.admin ?? 0,
        createdAt,
      );
  const u = f.users;
  const e = f.events;
  await db.batch([
    user('admin', 'System Administrator', f.emails.admin, hashes.defaultAdmin.original, { admin: 1 }, '2024-01-02 08:00:00'),
    user('anna', 'Anna Becker', f.emails.anna, hashes.member.original, { lang: 'de' }, '2024-01-03 09:15:00'),
    user('ben', 'Ben Okafor', f.emails.ben, hashes.member.original, { totp: BEN_TOTP }, '2024-01-04 10:00:00'),
    user('carla', 'Carla Inaktiv', f.emails.carla, hashes.member.original, { active: 0 }, '2024-01-05 11:00:00'),
    user('dora', 'Dora Short', f.emails.dora, hashes.short.original, {}, '2024-01-06 12:00:00'),
    user('doraTwin', 'Dora Twin', f.emails.doraTwin, hashes.member.original, { active: 0 }, '2024-01-07 12:00:00'),
    // What the original's soft delete leaves behind: no password, inactive, a placeholder email.
    user('deleted', 'Deleted User', `deleted_${u.deleted}@cakeplanner.local`, '', { active: 0 }, '2024-01-08 12:00:00'),
    user('eve', 'Eve', `not-an-email-${f.tag}`, hashes.member.original, {}, '2024-01-09 12:00:00'),
    user('fritz', 'Fritz\u0007Bell', `fritz.${f.tag}@example.com`, hashes.member.original, {}, '2024-01-10 12:00:00'),

    db
      .prepare("INSERT INTO groups (id, name, description, created_at) VALUES (?, ?, 'Kuchen im Büro', '2024-01-01 09:00:00')")
      .bind(f.groups.office, f.names.office),
    db
      .prepare("INSERT INTO groups (id, name, description, created_at) VALUES (?, ?, NULL, '2024-01-01 10:00:00')")
      .bind(f.groups.club, f.names.club),
    ...[
      [u.admin, f.groups.office, 'admin', '2024-01-02 08:00:01'],
      [u.anna, f.groups.office, 'member', '2024-01-03 09:16:00'],
      [u.anna, f.groups.club, 'admin', '2024-02-01 09:00:00'],
      [u.ben, f.groups.club, 'member', '2024-01-04 10:01:00'],
      [u.ben, f.groups.office, 'member', '2024-03-01 10:00:00'],
      [u.carla, f.groups.office, 'member', '2024-01-05 11:01:00'],
      [u.dora, f.groups.office, 'member', '2024-01-06 12:01:00'],
      [u.doraTwin, f.groups.office, 'member', '2024-01-07 12:01:00'],
      [u.deleted, f.groups.office, 'member', '2024-01-08 12:01:00'],
    ].map((m) => db.prepare('INSERT INTO group_members (user_id, group_id, role, joined_at) VALUES (?, ?, ?, ?)').bind(...m)),

    ...[
      [e.kirsch, f.groups.office, u.anna, '2024-03-15', TRICKY_DESCRIPTION, 'kirsch-cover.jpg', '2024-03-01 08:00:00'],
      [e.apfel, f.groups.office, u.ben, '2024-04-10', 'Apfelkuchen', 'missing-cover.jpg', '2024-04-01 08:00:00'],
      [e.impossible, f.groups.office, u.dora, '2024-02-30', 'Schaltjahr?', null, '2024-02-01 08:00:00'],
      [e.streusel, f.groups.office, u.admin, '2024-05-20', 'Streusel', 'streusel-notes.jpg', '2024-05-01 08:00:00'],
      [e.verein, f.groups.club, u.anna, '2024-06-01', null, '', '2024-05-15 08:00:00'],
      [e.twins, f.groups.office, u.doraTwin, '2024-07-01', 'Zwillingskuchen', null, '2024-06-15 08:00:00'],
    ].map((row) =>
      db
        .prepare(
          'INSERT INTO events (id, group_id, baker_id, event_date, description, photo_path, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        )
        .bind(...row),
    ),

    ...[
      [e.kirsch, u.ben, 5, 'Himmlisch!'],
      [e.kirsch, u.dora, 4, null],
      [e.kirsch, u.admin, 5, null],
      [e.kirsch, u.carla, 4, 'Lecker'],
      [e.kirsch, u.doraTwin, 1, 'from the skipped twin'],
      [e.apfel, u.anna, 3, null],
      [e.apfel, u.dora, 2, 'etwas trocken'],
      [e.apfel, u.deleted, 4.5, 'half a star'],
      [e.impossible, u.anna, 5, null],
      [e.streusel, u.anna, 5, null],
      [e.streusel, u.ben, 5, null],
      [e.streusel, u.dora, 5, null],
      [e.verein, u.ben, 4, null],
    ].map(([event, rater, stars, comment]) =>
      db
        .prepare(
          "INSERT INTO ratings (id, event_id, rater_id, rating_value, comment, created_at) VALUES (?, ?, ?, ?, ?, '2024-06-30 18:00:00')",
        )
        .bind(crypto.randomUUID(), event, rater, stars, comment),
    ),

    ...[
      [e.kirsch, u.ben, 'ben-kirsch.jpg'],
      [e.kirsch, u.dora, 'dora-kirsch-missing.jpg'],
      [e.apfel, u.anna, 'anna-apfel.jpg'],
    ].map((row) =>
      db
        .prepare("INSERT INTO event_photos (event_id, user_id, photo_path, uploaded_at) VALUES (?, ?, ?, '2024-04-11 12:30:00')")
        .bind(...row),
    ),
  ]);
}
