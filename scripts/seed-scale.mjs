// npm run seed:scale [-- --size N --seed N --today YYYY-MM-DD --persist-to DIR --reset]
// Loads the scale data set (scripts/scale-data.mjs), `--size` times the base
// organisation (default 1; 10 is 500 groups, 50,000 users, 1,000,000 events
// and about 10,000,000 ratings), into the local D1 that `npm start` serves
// (or the state folder given), through chunked SQL files run by
// `wrangler d1 execute --local --file`. The triggers are set aside while the
// rows go in and the aggregates they keep are computed once at the end (a
// trigger per rating row costs more than the row). A state that already
// holds the data set is left as it is; --reset starts from an empty local
// database.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
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
const persist = args['persist-to'] ? ['--persist-to', args['persist-to']] : [];
const SIZE = Number(args.size);
if (!Number.isInteger(SIZE) || SIZE < 1 || SIZE > 20) {
  console.error(`--size: a whole number from 1 to 20, not ${args.size}`);
  process.exit(2);
}
const SCALE = scaleOf(SIZE);
const CHUNK_BYTES = 16 * 1024 * 1024;
const OUT = '.wrangler/tmp/seed-scale';
const log = (line) => args.quiet || process.stdout.write(line);

function wrangler(...argv) {
  return execFileSync('npx', ['wrangler', ...argv, '--local', ...persist], {
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

const query = (sql) => JSON.parse(wrangler('d1', 'execute', 'DB', '--json', '--command', sql))[0].results;
const count = (sql) => query(sql)[0].n;
const elapsed = (since) => `${Math.round((Date.now() - since) / 1000)} s`;

/**
 * The triggers, set aside while the rows go in: each keeps an aggregate
 * (rating counts and sums, member counts, feed versions) that one statement
 * computes for the whole data set afterwards. Put back whatever happens.
 */
function withoutTriggers(load) {
  const triggers = query("select name, sql from sqlite_master where type = 'trigger' order by name");
  const run = (statements) => {
    const file = `${OUT}/triggers.sql`;
    writeFileSync(file, statements.join('\n'));
    wrangler('d1', 'execute', 'DB', '--yes', '--file', file);
  };
  run(triggers.map((t) => `DROP TRIGGER IF EXISTS \`${t.name}\`;`));
  try {
    load();
    log(`\nComputing the aggregates the triggers keep …`);
    run([
      'UPDATE events SET rating_count = (SELECT count(*) FROM ratings r WHERE r.event_id = events.id),',
      '  rating_sum = coalesce((SELECT sum(stars) FROM ratings r WHERE r.event_id = events.id), 0);',
      'UPDATE groups SET member_count = (SELECT count(*) FROM memberships m WHERE m.group_id = groups.id);',
    ]);
  } finally {
    run(triggers.map((t) => `${t.sql};`));
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
  const hash = argon2({ password: new TextEncoder().encode(SCALE_PASSWORD), salt, parallelism: 1, passes: 2, memorySize: 19456, tagLength: 32 });
  const b64 = (bytes) => Buffer.from(bytes).toString('base64').replace(/=+$/, '');
  return `$argon2id$v=19$m=19456,t=2,p=1$${b64(salt)}$${b64(hash)}`;
}

async function main() {
  const started = Date.now();
  if (args.reset) rmSync(`${args['persist-to'] ?? '.wrangler/state'}/v3/d1`, { recursive: true, force: true });
  wrangler('d1', 'migrations', 'apply', 'DB');
  const loaded = count("select count(*) n from groups where name like 'Scale Group %'");
  if (loaded > 0) {
    console.log(
      loaded === SCALE.groups
        ? `The scale data set (${SIZE}×) is already loaded here; nothing added (--reset starts over).`
        : `This state holds another size of the scale data set (${loaded} groups); nothing added (--reset starts over).`,
    );
    printLogins();
    return;
  }

  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const totals = {};
  const files = [];
  let buffer = [];
  let bytes = 0;
  const flush = () => {
    if (!buffer.length) return;
    const file = `${OUT}/${String(files.length).padStart(3, '0')}.sql`;
    writeFileSync(file, buffer.join(''));
    files.push({ file, tables: { ...pending } });
    buffer = [];
    bytes = 0;
    for (const k of Object.keys(pending)) delete pending[k];
  };
  const pending = {};
  log(`Generating ${SIZE}× (seed ${args.seed}, today ${args.today}) …`);
  for (const chunk of scaleData({ seed: Number(args.seed), today: args.today, size: SIZE, passwordHash: await sharedPasswordHash() })) {
    buffer.push(chunk.sql);
    bytes += chunk.sql.length;
    pending[chunk.table] = (pending[chunk.table] ?? 0) + chunk.rows;
    totals[chunk.table] = (totals[chunk.table] ?? 0) + chunk.rows;
    if (bytes >= CHUNK_BYTES) flush();
  }
  flush();
  log(` ${files.length} SQL files in ${elapsed(started)}\n`);

  const done = {};
  withoutTriggers(() => {
    for (const [i, { file, tables }] of files.entries()) {
      wrangler('d1', 'execute', 'DB', '--yes', '--file', file);
      for (const [t, n] of Object.entries(tables)) done[t] = (done[t] ?? 0) + n;
      const line = Object.entries(totals)
        .map(([t, n]) => `${t} ${(done[t] ?? 0).toLocaleString('en')}/${n.toLocaleString('en')}`)
        .join(' · ');
      log(`\r[${i + 1}/${files.length}, ${elapsed(started)}] ${line}   `);
    }
  });
  rmSync(OUT, { recursive: true, force: true });
  log(`\nLoaded in ${((Date.now() - started) / 1000).toFixed(0)} s: ${SCALE.groups} groups, ${totals.users} users, ` +
    `${totals.events} events, ${totals.ratings} ratings, ${totals.event_photos} gallery photos.\n`);
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
