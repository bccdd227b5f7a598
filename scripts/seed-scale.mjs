// npm run seed:scale [-- --size N --seed N --today YYYY-MM-DD --persist-to DIR --reset]
// Loads the scale data set (scripts/scale-data.mjs), `--size` times the base
// organisation (default 1; 10 is 500 groups, 50,000 users, 1,000,000 events
// and about 10,000,000 ratings), into the local D1 that `npm start` serves
// (or the state folder given). The schema comes from `wrangler d1 migrations
// apply`; the rows are written straight into that database's SQLite file
// with node:sqlite (Node 22.5 or later: npm scripts run on the pinned
// Node 24), in one transaction per chunk of about 16 MB of SQL, which is
// many times faster than a `wrangler d1 execute` per file. No Worker may run
// on the same state meanwhile. The triggers are set aside while the rows go
// in and the aggregates they keep are computed once at the end (a trigger
// per rating row costs more than the row). A state that already holds the
// data set is left as it is; --reset starts from an empty local database.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SCALE_PASSWORD, scaleData, scaleLogins, scaleOf } from './scale-data.mjs';

const { values: args } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    size: { type: 'string', default: '1' },
    today: { type: 'string', default: new Date().toISOString().slice(0, 10) },
    'persist-to': { type: 'string' },
    reset: { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
  },
});
const STATE = args['persist-to'] ?? '.wrangler/state';
const persist = args['persist-to'] ? ['--persist-to', args['persist-to']] : [];
const SIZE = Number(args.size);
if (!Number.isInteger(SIZE) || SIZE < 1 || SIZE > 20) {
  console.error(`--size: a whole number from 1 to 20, not ${args.size}`);
  process.exit(2);
}
const SCALE = scaleOf(SIZE);
const CHUNK_BYTES = 16 * 1024 * 1024;
const log = (line) => args.quiet || process.stdout.write(line);
const elapsed = (since) => `${Math.round((Date.now() - since) / 1000)} s`;

function wrangler(...argv) {
  return execFileSync('npx', ['wrangler', ...argv, '--local', ...persist], {
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** The local D1 database's SQLite file (the state holds one D1 database: DB). */
async function openLocalD1() {
  const { DatabaseSync } = await import('node:sqlite').catch(() => {
    throw new Error(`node:sqlite is missing from Node ${process.version}: run this through npm (Node 24), not plain node`);
  });
  const dir = join(STATE, 'v3/d1/miniflare-D1DatabaseObject');
  const files = readdirSync(dir).filter((f) => f.endsWith('.sqlite') && f !== 'metadata.sqlite');
  if (files.length !== 1) throw new Error(`expected one D1 database in ${dir}, found ${files.length}`);
  const db = new DatabaseSync(join(dir, files[0]));
  // A load that a crash interrupts is started again, so durability is not
  // worth an fsync per transaction; a large page cache keeps the indexes in memory.
  db.exec('PRAGMA busy_timeout = 5000; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144');
  return db;
}

/**
 * The triggers, set aside while the rows go in: each keeps an aggregate
 * (rating counts and sums, member counts) that one statement computes for
 * the whole data set afterwards. Put back whatever happens.
 */
function withoutTriggers(db, load) {
  const triggers = db.prepare("select name, sql from sqlite_master where type = 'trigger' order by name").all();
  for (const t of triggers) db.exec(`DROP TRIGGER IF EXISTS \`${t.name}\``);
  try {
    load();
    log(`\nComputing the aggregates the triggers keep …`);
    db.exec(`BEGIN;
      UPDATE events SET rating_count = (SELECT count(*) FROM ratings r WHERE r.event_id = events.id),
        rating_sum = coalesce((SELECT sum(stars) FROM ratings r WHERE r.event_id = events.id), 0);
      UPDATE groups SET member_count = (SELECT count(*) FROM memberships m WHERE m.group_id = groups.id);
      UPDATE memberships SET member_name = (SELECT name FROM users u WHERE u.id = memberships.user_id);
      COMMIT;`);
  } finally {
    for (const t of triggers) db.exec(t.sql);
  }
}

/** One Argon2id hash (the Worker's parameters) that every generated user shares. */
async function sharedPasswordHash() {
  const require = createRequire(import.meta.url);
  const { default: setupWasm } = await import('argon2id/lib/setup.js');
  const wasm = (file) => async (imports) =>
    WebAssembly.instantiate(readFileSync(require.resolve(`argon2id/dist/${file}`)), imports);
  const argon2 = await setupWasm(wasm('simd.wasm'), wasm('no-simd.wasm'));
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const hash = argon2({
    password: new TextEncoder().encode(SCALE_PASSWORD),
    salt,
    parallelism: 1,
    passes: 2,
    memorySize: 19456,
    tagLength: 32,
  });
  const b64 = (bytes) => Buffer.from(bytes).toString('base64').replace(/=+$/, '');
  return `$argon2id$v=19$m=19456,t=2,p=1$${b64(salt)}$${b64(hash)}`;
}

async function main() {
  const started = Date.now();
  if (args.reset) rmSync(join(STATE, 'v3/d1'), { recursive: true, force: true });
  wrangler('d1', 'migrations', 'apply', 'DB');
  const db = await openLocalD1();
  try {
    const loaded = db.prepare("select count(*) n from groups where name like 'Scale Group %'").get().n;
    if (loaded > 0) {
      console.log(
        loaded === SCALE.groups
          ? `The scale data set (${SIZE}×) is already loaded here; nothing added (--reset starts over).`
          : `This state holds another size of the scale data set (${loaded} groups); nothing added (--reset starts over).`,
      );
      printLogins();
      return;
    }
    log(`Loading ${SIZE}× (seed ${args.seed}, today ${args.today}) …\n`);
    const expected = { groups: SCALE.groups, users: SCALE.users, events: SCALE.events, ratings: SCALE.ratings };
    const passwordHash = await sharedPasswordHash();
    const done = {};
    withoutTriggers(db, () => {
      let buffer = [];
      let bytes = 0;
      const flush = () => {
        db.exec(`BEGIN;${buffer.join('')}COMMIT;`);
        buffer = [];
        bytes = 0;
        const line = Object.entries(expected)
          .map(
            ([t, n]) =>
              `${t} ${(done[t] ?? 0).toLocaleString('en')}/${n.toLocaleString('en')}${t === 'ratings' ? ' (about)' : ''}`,
          )
          .join(' · ');
        log(`\r[${elapsed(started)}] ${line}   `);
      };
      const data = scaleData({ seed: Number(args.seed), today: args.today, size: SIZE, passwordHash });
      for (const chunk of data) {
        buffer.push(chunk.sql);
        bytes += chunk.sql.length;
        done[chunk.table] = (done[chunk.table] ?? 0) + chunk.rows;
        if (bytes >= CHUNK_BYTES) flush();
      }
      if (buffer.length) flush();
    });
    log(
      `\nLoaded in ${((Date.now() - started) / 1000).toFixed(0)} s: ${SCALE.groups} groups, ${done.users} users, ` +
        `${done.events} events, ${done.ratings} ratings, ${done.event_photos} gallery photos.\n`,
    );
  } finally {
    db.close();
  }
  printLogins();
}

function printLogins() {
  log(`Logins (password ${SCALE_PASSWORD}):\n`);
  for (const [who, email] of Object.entries(scaleLogins(SIZE))) log(`  ${who.padEnd(12)} ${email}\n`);
}

main().catch((error) => {
  console.error(error.stderr?.toString() || error);
  process.exitCode = 1;
});
