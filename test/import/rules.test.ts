/**
 * The importer's rules one by one, on small hand-made originals held in
 * memory (rows as the original's SQLite returns them), planned against the
 * test D1 as it is.
 */
import { env } from 'cloudflare:workers';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkOptions, UsageError } from '../../scripts/import/options.mjs';
import { ORIGINAL_COLUMNS, ORIGINAL_TABLES, type OriginalTable } from '../../scripts/import/original';
import { type OriginalSource, SourceError, type SourceRow } from '../../scripts/import/source';
import { literal, planStatements } from '../../scripts/import/sql';
import { formatSummary } from '../../scripts/import/summary';
import { uploadFolder } from '../../scripts/import/upload-folder.mjs';
import { readTimestamp, readTotpSecret, readUploadName } from '../../scripts/import/values';
import { ADMIN, addMember, createGroup, ensureRootAdmin, userIn } from '../helpers/api';
import { createEvent, dayIn, PNG_1X1 } from '../helpers/events';
import { runImport } from './harness';

type Tables = Partial<Record<OriginalTable, Partial<SourceRow>[]>>;

function memorySource(tables: Tables, options: { without?: string[] } = {}): OriginalSource {
  const without = new Set(options.without ?? []);
  return {
    async tables() {
      const all = new Map<string, Set<string>>();
      for (const t of ORIGINAL_TABLES) {
        if (without.has(t)) continue;
        all.set(t, new Set(ORIGINAL_COLUMNS[t].filter((c) => !without.has(`${t}.${c}`))));
      }
      return all;
    },
    async *rows(table, columns) {
      for (const row of tables[table] ?? []) yield Object.fromEntries(columns.map((c) => [c, row[c] ?? null]));
    },
  };
}

const id = () => crypto.randomUUID();
const at = '2024-05-01 10:00:00';

function people(count = 1) {
  const groupId = id();
  const users = Array.from({ length: count }, (_, i) => ({
    id: id(),
    full_name: `Person ${i}`,
    email: `person-${i}-${groupId}@example.com`,
    password_hash: '',
    is_active: 1,
    created_at: at,
  }));
  return {
    groupId,
    users,
    tables: {
      users,
      groups: [{ id: groupId, name: `Group ${groupId}`, created_at: at }],
      group_members: users.map((u) => ({ user_id: u.id, group_id: groupId, role: 'member', joined_at: at })),
    } satisfies Tables,
  };
}

/** One person's group with one cake of theirs: its cover at `cover`, their gallery photo at `gallery` (upload-folder paths). */
function oneCakeWithPhotos(cover: string, gallery: string) {
  const { tables, groupId, users } = people(1);
  const eventId = id();
  const source = memorySource({
    ...tables,
    events: [
      { id: eventId, group_id: groupId, baker_id: users[0]!.id, event_date: '2024-05-02', photo_path: cover, created_at: at },
    ],
    event_photos: [{ event_id: eventId, user_id: users[0]!.id, photo_path: gallery, uploaded_at: at }],
  });
  return { eventId, source };
}

describe('reading the original', () => {
  it('stops before anything is written when tables or columns are missing, naming them', async () => {
    const source = memorySource({}, { without: ['event_photos', 'users.totp_secret', 'ratings.rating_value'] });
    await expect(runImport({ source })).rejects.toThrow(SourceError);
    await expect(runImport({ source })).rejects.toThrow(
      'missing column users.totp_secret, column ratings.rating_value, table event_photos',
    );
  });

  it('reads CURRENT_TIMESTAMP strings as ISO timestamps and refuses impossible ones', () => {
    expect(readTimestamp('2024-01-02 03:04:05')).toBe('2024-01-02T03:04:05.000Z');
    expect(readTimestamp('2024-01-02T03:04:05.123Z')).toBe('2024-01-02T03:04:05.123Z');
    expect(readTimestamp('2024-02-30 00:00:00')).toBeNull();
    expect(readTimestamp('2024-01-02 24:00:00')).toBeNull();
    expect(readTimestamp('yesterday')).toBeNull();
    expect(readTimestamp(null)).toBeNull();
  });

  it('reads TOTP secrets and upload names strictly', () => {
    expect(readTotpSecret('jbsw y3dp ehpk 3pxp====')).toBe('JBSWY3DPEHPK3PXP');
    expect(readTotpSecret('')).toBe('');
    expect(readTotpSecret(null)).toBe('');
    expect(readTotpSecret('not base32 at all!')).toBeNull();
    expect(readUploadName('abc.jpg')).toBe('abc.jpg');
    for (const bad of ['../secret.jpg', 'a/b.jpg', '..', 'a\\b.jpg', 42]) expect(readUploadName(bad)).toBeNull();
  });

  it('writes text with NUL and quotes as SQL literals that read back exactly', async () => {
    const text = "it's \u0000 here; -- not a comment\r\n";
    const row = await env.DB.prepare(`SELECT ${literal(text)} AS t, ${literal(null)} AS n, ${literal(true)} AS b`).first();
    expect(row).toEqual({ t: text, n: null, b: 1 });
  });
});

describe('the command line', () => {
  // As parseArgs reads `--from cakeplanner.sqlite --skip-photos --time-zone <zone>` (workerd has no parseArgs).
  const withTimeZone = (timeZone: string) => () =>
    checkOptions({ from: 'cakeplanner.sqlite', 'skip-photos': true, 'time-zone': timeZone });

  it('takes IANA time zone names for --time-zone', () => {
    for (const timeZone of ['Europe/Berlin', 'America/New_York', 'UTC'])
      expect(withTimeZone(timeZone)()).toMatchObject({ timeZone });
  });

  it('refuses a --time-zone that is an offset or no zone at all, saying what it wants', () => {
    for (const timeZone of ['+01:00', '-0530', 'Nowhere/Else']) {
      expect(withTimeZone(timeZone)).toThrow(UsageError);
      expect(withTimeZone(timeZone)).toThrow(
        `--time-zone: ${timeZone} is no IANA time zone name (such as Europe/Berlin or UTC).`,
      );
    }
  });
});

describe('the SQL text wrangler runs', () => {
  it('holds no transaction words, even when descriptions and comments say them; they import intact', async () => {
    const { tables, groupId, users } = people(1);
    const [begins, commits] = [id(), id()];
    const says = {
      begin: 'Rezept: BEGIN TRANSACTION; Mehl, Zucker',
      commit: 'Fertig. COMMIT; und dann begin  transaction noch einmal',
    };
    const motto = 'Wir sagen COMMIT; nach jedem Kuchen';
    const plan = await runImport({
      source: memorySource({
        ...tables,
        groups: [{ ...tables.groups[0]!, description: motto }],
        events: [
          {
            id: begins,
            group_id: groupId,
            baker_id: users[0]!.id,
            event_date: '2024-05-02',
            description: says.begin,
            created_at: at,
          },
          {
            id: commits,
            group_id: groupId,
            baker_id: users[0]!.id,
            event_date: '2024-05-03',
            description: says.commit,
            created_at: at,
          },
        ],
        ratings: [
          { event_id: begins, rater_id: users[0]!.id, rating_value: 5, comment: 'BEGIN TRANSACTION; COMMIT;', created_at: at },
        ],
      }),
    });
    // wrangler's trimSqlQuery looks for exactly these, anywhere in the file.
    const text = [...planStatements(plan.tables)].map((s) => s.sql).join('');
    expect(text).not.toMatch(/BEGIN TRANSACTION|COMMIT;/i);

    const events = await env.DB.prepare('SELECT id, description FROM events WHERE id IN (?, ?) ORDER BY date')
      .bind(begins, commits)
      .all();
    expect(events.results).toEqual([
      { id: begins, description: says.begin },
      { id: commits, description: says.commit },
    ]);
    expect(await env.DB.prepare('SELECT description FROM groups WHERE id = ?').bind(groupId).first('description')).toBe(motto);
    expect(await env.DB.prepare('SELECT comment FROM ratings WHERE event_id = ?').bind(begins).first('comment')).toBe(
      'BEGIN TRANSACTION; COMMIT;',
    );
  });
});

describe('ids already used here by others', () => {
  it('never add memberships to a group here, nor attach rows to an account or event here, that are not the source’s', async () => {
    // Here: a group with its admin and a cake of theirs.
    const group = await createGroup();
    const local = await userIn(group.id);
    await addMember(local.id, group.id, 'admin');
    const localEvent = await createEvent(local, { date: dayIn(3), groupId: group.id });
    const groupCreatedAt = await env.DB.prepare('SELECT created_at FROM groups WHERE id = ?')
      .bind(group.id)
      .first<string>('created_at');

    // The source reuses those ids, the group's even with its creation time (a member can see it).
    const { tables, groupId: ownGroup, users } = people(1);
    const newcomer = users[0]!;
    const impostor = { ...newcomer, id: local.id, email: `impostor-${id()}@example.com`, full_name: 'Impostor' };
    const [byImpostor, reused, fresh] = [id(), localEvent.id, id()];
    const plan = await runImport({
      source: memorySource({
        users: [newcomer, impostor],
        groups: [...tables.groups, { id: group.id, name: 'Takeover', created_at: groupCreatedAt! }],
        group_members: [
          { user_id: newcomer.id, group_id: ownGroup, role: 'admin', joined_at: at },
          { user_id: newcomer.id, group_id: group.id, role: 'admin', joined_at: at },
          { user_id: impostor.id, group_id: ownGroup, role: 'member', joined_at: at },
        ],
        events: [
          { id: byImpostor, group_id: ownGroup, baker_id: impostor.id, event_date: '2024-05-02', created_at: at },
          { id: reused, group_id: ownGroup, baker_id: newcomer.id, event_date: '2024-05-03', created_at: at },
          { id: fresh, group_id: ownGroup, baker_id: newcomer.id, event_date: '2024-05-04', created_at: at },
        ],
        ratings: [
          { event_id: reused, rater_id: newcomer.id, rating_value: 1, created_at: at },
          { event_id: fresh, rater_id: impostor.id, rating_value: 5, created_at: at },
        ],
      }),
    });

    expect(plan.summary.skipped).toEqual(
      expect.arrayContaining([
        { kind: 'users', id: local.id, reason: `id belongs to another account here (${local.email})` },
        { kind: 'groups', id: group.id, reason: `id belongs to another group here ("${group.name}")` },
        { kind: 'events', id: reused, reason: 'id belongs to another event here' },
      ]),
    );
    expect(plan.summary.counts).toMatchObject({
      users: { new: 1, skipped: 1 },
      groups: { new: 1, skipped: 1 },
      memberships: { new: 1, skipped: 2 },
      events: { new: 1, skipped: 2 },
      ratings: { new: 0, skipped: 2 },
    });
    const rows = async (sql: string, ...binds: string[]) =>
      (
        await env.DB.prepare(sql)
          .bind(...binds)
          .all()
      ).results;
    expect(await rows('SELECT user_id, role FROM memberships WHERE group_id = ?', group.id)).toEqual([
      { user_id: local.id, role: 'admin' },
    ]);
    expect(await rows('SELECT group_id FROM memberships WHERE user_id = ?', local.id)).toEqual([{ group_id: group.id }]);
    expect(await rows('SELECT id FROM events WHERE baker_id = ?', local.id)).toEqual([{ id: localEvent.id }]);
    expect(await rows('SELECT user_id FROM ratings WHERE event_id IN (?, ?)', reused, fresh)).toEqual([]);
    expect(await rows('SELECT name, email FROM users WHERE id = ?', local.id)).toEqual([
      { name: local.name, email: local.email },
    ]);
  });
});

describe('rows that break this project’s rules', () => {
  it('are skipped with their reason: stars, roles, long texts, secrets, paths; the rest imports', async () => {
    const { users, groupId, tables } = people(4);
    const [a, b, c, d] = users as [any, any, any, any];
    a.totp_secret = 'NOT-BASE32!';
    b.email_language = 'fr';
    (tables.group_members[2] as any).role = 'owner';
    const [ok, long, orphan] = [id(), id(), id()];
    const strayGroup = id();
    const plan = await runImport({
      source: memorySource({
        ...tables,
        events: [
          { id: ok, group_id: groupId, baker_id: b.id, event_date: '2024-05-02', created_at: at, photo_path: '../../etc/passwd' },
          {
            id: long,
            group_id: groupId,
            baker_id: b.id,
            event_date: '2024-05-03',
            description: 'x'.repeat(2001),
            created_at: at,
          },
          { id: orphan, group_id: strayGroup, baker_id: b.id, event_date: '2024-05-04', created_at: at },
        ],
        // In the original's order (event, rater), so a repeated pair comes next to its twin.
        ratings: [
          { event_id: ok, rater_id: c.id, rating_value: 0, created_at: at },
          { event_id: ok, rater_id: c.id, rating_value: 5, created_at: at },
          { event_id: ok, rater_id: b.id, rating_value: 7, created_at: at },
          { event_id: ok, rater_id: d.id, rating_value: 5, comment: 'y'.repeat(501), created_at: at },
          { event_id: ok, rater_id: a.id, rating_value: 5, created_at: at },
        ],
      }),
      dryRun: true,
    });
    const secret = '2FA secret is not a base32 TOTP secret';
    expect(plan.summary.skipped.map((s) => `${s.kind}: ${s.reason}`)).toEqual([
      `users: ${secret}`,
      `memberships: user ${a.id} is not imported (${secret})`,
      'memberships: role "owner" is neither admin nor member',
      'cover photos: photo path "../../etc/passwd" is not a file name of the upload folder',
      'events: description longer than 2,000 characters',
      `events: group ${JSON.stringify(strayGroup)} does not exist in the source`,
      'ratings: stars "0" are not a whole number from 1 to 5',
      'ratings: a second rating of the same user for the same event',
      'ratings: stars "7" are not a whole number from 1 to 5',
      'ratings: comment longer than 500 characters',
      `ratings: rater ${a.id} is not imported (${secret})`,
    ]);
    expect(plan.summary.notes).toContain(`user ${b.id}: email language "fr" is read as "en"`);
    expect(plan.summary.counts.events).toMatchObject({ new: 1, skipped: 2 });
    expect(plan.summary.counts.ratings).toMatchObject({ new: 0, skipped: 5 });
  });

  it('renames a group whose name is taken (here or by an earlier namesake there) and uses --time-zone', async () => {
    const taken = await createGroup();
    const { tables, groupId } = people(1);
    const [second, third] = [id(), id()];
    const plan = await runImport({
      source: memorySource({
        ...tables,
        groups: [
          { id: groupId, name: taken.name.toUpperCase(), created_at: at },
          { id: second, name: taken.name, created_at: at },
          { id: third, name: `  ${taken.name}  `, description: 'same name, padded', created_at: at },
        ],
      }),
      timeZone: 'America/New_York',
    });
    const names = await env.DB.prepare('SELECT id, name, time_zone FROM groups WHERE id IN (?, ?, ?) ORDER BY name')
      .bind(groupId, second, third)
      .all();
    expect(names.results).toEqual([
      { id: groupId, name: `${taken.name.toUpperCase()} (2)`, time_zone: 'America/New_York' },
      { id: second, name: `${taken.name} (3)`, time_zone: 'America/New_York' },
      { id: third, name: `${taken.name} (4)`, time_zone: 'America/New_York' },
    ]);
    expect(plan.summary.notes).toContain(`group ${second} "${taken.name}" is named "${taken.name} (3)": its name is taken here`);
  });

  it('skips an account whose email is already used here by another account', async () => {
    const root = await ensureRootAdmin();
    const { tables, users } = people(1);
    users[0]!.email = ` ${ADMIN.email.toUpperCase()} `;
    const plan = await runImport({ source: memorySource(tables), dryRun: true });
    expect(plan.summary.skipped).toContainEqual({
      kind: 'users',
      id: users[0]!.id,
      reason: `email ${ADMIN.email} is used here by another account (${root.id})`,
    });
  });

  it('imports no photos with --skip-photos and says so once', async () => {
    const { eventId, source } = oneCakeWithPhotos('c.jpg', 'g.jpg');
    const plan = await runImport({
      source,
      uploads: null,
      files: new Map([['c.jpg', PNG_1X1]]),
    });
    expect(plan.photos).toEqual([]);
    expect(plan.summary.counts['cover photos']).toMatchObject({ source: 1, skipped: 1 });
    expect(plan.summary.counts['gallery photos']).toMatchObject({ source: 1, skipped: 1 });
    expect(plan.summary.notes.filter((n) => n.includes('--skip-photos'))).toEqual([
      '1 cover photos not imported (--skip-photos)',
      '1 gallery photos not imported (--skip-photos)',
    ]);
    const cover = await env.DB.prepare('SELECT cover_photo_key FROM events WHERE id = ?').bind(eventId).first('cover_photo_key');
    expect(cover).toBeNull();
  });

  it('never follows a symbolic link in the upload folder: its photo is skipped, a regular file beside it imports', async () => {
    const [dir, elsewhere] = [`/tmp/uploads-${id()}`, `/tmp/elsewhere-${id()}`];
    mkdirSync(dir);
    mkdirSync(elsewhere);
    writeFileSync(`${elsewhere}/private.png`, PNG_1X1);
    symlinkSync(`${elsewhere}/private.png`, `${dir}/linked.jpg`);
    writeFileSync(`${dir}/regular.jpg`, PNG_1X1);
    const { eventId, source } = oneCakeWithPhotos('linked.jpg', 'regular.jpg');
    const plan = await runImport({
      source,
      uploads: uploadFolder(dir),
      dryRun: true,
    });
    expect(plan.summary.skipped).toEqual([
      { kind: 'cover photos', id: eventId, reason: 'file linked.jpg is a symbolic link, which is never followed' },
    ]);
    expect(plan.photos.map((p) => p.fileName)).toEqual(['regular.jpg']);
  });

  it('prints a summary with every count and reason', async () => {
    const { tables } = people(2);
    (tables.users[1] as any).full_name = 'Line\nBreak';
    const plan = await runImport({ source: memorySource(tables), dryRun: true });
    const text = formatSummary(plan.summary, { dryRun: true });
    expect(text).toMatch(/^ +in source +would be new +already here +here, different +skipped$/m);
    expect(text).toMatch(/^users +2 +1 +0 +0 +1$/m);
    expect(text).toContain(
      `users ${tables.users[1]!.id}: name "Line\\nBreak": Must not contain line breaks or control characters`,
    );
    expect(text.trim().endsWith('Dry run: nothing was written.')).toBe(true);
  });
});
