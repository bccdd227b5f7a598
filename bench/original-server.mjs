// node bench/original-server.mjs --out DIR [--users N --groups N --events N --ratings N --photos N --seed N]
// Writes what an original CakePlanner server holds (ORIGINAL-DATA.md): DIR/cakeplanner.sqlite
// with the original's own schema and DIR/uploads/<uuid>.jpg, for trying and measuring
// `npm run import`. Defaults make a small demo; the scale measurement in the README uses
// --users 5000 --events 100000 --ratings 1000000.
//
// Besides the generated crowd it always holds the cases an import must handle: the
// original's first admin still on admin123, a user with 2FA, an inactive one, an email
// twin differing only in case, an impossible date, a PNG cover named .jpg, a missing
// file and a text file named .jpg.

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { parseArgs } from 'node:util';
import argon2 from 'argon2';
import { ORIGINAL_SCHEMA } from '../scripts/import/original.ts';

const { values: args } = parseArgs({
  options: {
    out: { type: 'string', default: '.wrangler/tmp/original-server' },
    users: { type: 'string', default: '40' },
    groups: { type: 'string', default: '2' },
    events: { type: 'string', default: '60' },
    ratings: { type: 'string', default: '300' },
    photos: { type: 'string', default: '20' },
    seed: { type: 'string', default: '1' },
  },
});
const N = Object.fromEntries(['users', 'groups', 'events', 'ratings', 'photos'].map((k) => [k, Number(args[k])]));
export const PASSWORD = 'Original-Cake-2019';
export const TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

/** mulberry32, as scripts/scale-data.mjs: the same data for the same seed everywhere. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(Number(args.seed));
const uuid = () => {
  const h = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  h[12] = '4';
  return `${h.slice(0, 8).join('')}-${h.slice(8, 12).join('')}-${h.slice(12, 16).join('')}-${h.slice(16, 20).join('')}-${h.slice(20).join('')}`;
};
const stamp = (ms) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
const DAY = 86_400_000;
const START = Date.UTC(2021, 0, 1);

/** The original's hashes: Argon2id m=64 MiB, t=3, p=4, by the reference implementation, in its m,t,p order. */
async function originalHash(password) {
  const phc = await argon2.hash(password, { type: argon2.argon2id, memoryCost: 65536, timeCost: 3, parallelism: 4 });
  const [, , version, , salt, hash] = phc.split('$');
  return `$argon2id$${version}$m=65536,t=3,p=4$${salt}$${hash}`;
}

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01]);

async function main() {
  const started = Date.now();
  rmSync(args.out, { recursive: true, force: true });
  mkdirSync(`${args.out}/uploads`, { recursive: true });
  const db = new DatabaseSync(`${args.out}/cakeplanner.sqlite`);
  db.exec('PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;');
  db.exec(ORIGINAL_SCHEMA);
  const [memberHash, adminHash] = await Promise.all([originalHash(PASSWORD), originalHash('admin123')]);

  const insertUser = db.prepare(
    `INSERT INTO users (id, full_name, email, password_hash, email_language, totp_secret, is_active, is_admin, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertGroup = db.prepare('INSERT INTO groups (id, name, description, created_at) VALUES (?, ?, ?, ?)');
  const insertMember = db.prepare('INSERT INTO group_members (user_id, group_id, role, joined_at) VALUES (?, ?, ?, ?)');
  const insertEvent = db.prepare(
    'INSERT INTO events (id, group_id, baker_id, event_date, description, photo_path, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const insertRating = db.prepare(
    'INSERT INTO ratings (id, event_id, rater_id, rating_value, comment, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const insertPhoto = db.prepare('INSERT INTO event_photos (event_id, user_id, photo_path, uploaded_at) VALUES (?, ?, ?, ?)');
  const upload = (bytes) => {
    const name = `${uuid()}.jpg`;
    writeFileSync(`${args.out}/uploads/${name}`, bytes);
    return name;
  };
  const galleryPhoto = () => {
    photos++;
    return upload(random() < 0.5 ? PNG : JPEG);
  };

  db.exec('BEGIN');
  const groups = Array.from({ length: N.groups }, (_, _i) => ({ id: uuid(), members: [] }));
  groups.forEach((g, i) => {
    insertGroup.run(g.id, `Kuchenrunde ${i + 1}`, i % 2 ? null : 'Jeden Freitag', stamp(START + i * 1000));
  });

  const special = [
    ['System Administrator', 'admin@cakeplanner.local', adminHash, 'en', null, 1, 1],
    ['Anna Becker', 'anna@example.com', memberHash, 'de', null, 1, 0],
    ['Ben Okafor', 'ben@example.com', memberHash, 'en', TOTP_SECRET, 1, 0],
    ['Carla Inaktiv', 'carla@example.com', memberHash, 'de', null, 0, 0],
    ['Dora Twin', 'Dora@Example.com', memberHash, 'en', null, 1, 0],
    ['Dora Twin Again', 'dora@example.com', memberHash, 'en', null, 0, 0],
  ];
  const users = [];
  for (let i = 0; i < Math.max(N.users, special.length); i++) {
    const [name, email, hash, language, totp, active, admin] = special[i] ?? [
      `Person ${i}`,
      `person${i}@example.com`,
      memberHash,
      random() < 0.5 ? 'de' : 'en',
      null,
      1,
      0,
    ];
    const user = { id: uuid(), created: START + i * 60_000 };
    insertUser.run(user.id, name, email, hash, language, totp, active, admin, stamp(user.created), stamp(user.created));
    const group = groups[i % groups.length];
    group.members.push(user);
    insertMember.run(user.id, group.id, i < groups.length ? 'admin' : 'member', stamp(user.created + 1000));
    users.push(user);
  }

  let ratings = 0;
  let photos = 0;
  const perEvent = Math.max(1, Math.round(N.ratings / Math.max(1, N.events)));
  for (let i = 0; i < N.events; i++) {
    const group = groups[i % groups.length];
    const baker = group.members[Math.floor(random() * group.members.length)];
    const day = START + Math.floor(random() * 6 * 365) * DAY;
    const date = i === 0 ? '2023-02-30' : new Date(day).toISOString().slice(0, 10);
    const cover =
      i === 1
        ? upload(PNG)
        : i === 2
          ? 'gone-missing.jpg'
          : i === 3
            ? upload('notes, not a photo\n')
            : photos < N.photos && random() < 0.5
              ? galleryPhoto()
              : null;
    const id = uuid();
    insertEvent.run(
      id,
      group.id,
      baker.id,
      date,
      i === 1 ? 'Mit Sahne; und Kirschen,\r\nzweite Zeile' : `Kuchen ${i}`,
      cover,
      stamp(day - DAY),
    );
    const raters = new Set();
    const wanted = Math.min(perEvent, group.members.length - 1);
    for (let attempt = 0; raters.size < wanted && ratings < N.ratings && attempt < wanted * 4; attempt++) {
      const rater = group.members[Math.floor(random() * group.members.length)];
      if (rater === baker || raters.has(rater)) continue;
      raters.add(rater);
      insertRating.run(
        uuid(),
        id,
        rater.id,
        1 + Math.floor(random() * 5),
        random() < 0.1 ? 'Lecker!' : null,
        stamp(day + 3600_000),
      );
      ratings++;
    }
    if (photos < N.photos && raters.size && random() < 0.3) {
      photos++;
      insertPhoto.run(id, [...raters][0].id, upload(JPEG), stamp(day + 7200_000));
    }
  }
  db.exec('COMMIT');
  db.close();
  console.log(
    `${args.out}: ${users.length} users, ${groups.length} groups, ${N.events} events, ${ratings} ratings, ${photos + 2} photo files ` +
      `in ${((Date.now() - started) / 1000).toFixed(1)} s.\nPasswords: admin@cakeplanner.local admin123 · everyone else ${PASSWORD} ` +
      `· ben@example.com has 2FA with secret ${TOTP_SECRET}`,
  );
}

await main();
