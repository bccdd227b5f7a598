// npm start [-- <wrangler dev options>]: local secrets and admin (printed
// before anything else scrolls by), local D1 migrations, then `wrangler dev`
// on PORT with the configured state (see scripts/local-env.mjs).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describeAdmin, SetupRefused, setUpLocalSecrets } from './dev-setup.mjs';
import { applyMigrations, localConfig, ROOT, wrangler, wranglerArgs } from './local-env.mjs';

const config = localConfig();
let setup;
try {
  setup = setUpLocalSecrets(config);
} catch (error) {
  if (!(error instanceof SetupRefused)) throw error;
  console.error(error.message);
  process.exit(1);
}

const hadDatabase = existsSync(join(config.stateDir, 'v3', 'd1'));
const applied = applyMigrations(config);
if (applied > 0) console.log(`Local database: applied ${applied} migration(s).`);
describeAdmin(setup, config);
// The configured admin is only created while the database has no active
// admin: on a state that already has another (an imported one, say), say so
// instead of promising a login.
if (hadDatabase) {
  const admins = activeAdmins();
  if (admins.length > 0 && !admins.includes(setup.admin.email)) {
    console.log(
      `This local state already has an active admin (${admins[0]}), so ${setup.admin.email} is not created.\n` +
        `Sign in as ${admins[0]}, or start from an empty state: npm run seed -- --reset`,
    );
  }
}

const child = spawn(
  process.execPath,
  [
    resolve(ROOT, 'node_modules/wrangler/bin/wrangler.js'),
    'dev',
    '--port',
    String(config.port),
    ...wranglerArgs(config),
    ...process.argv.slice(2),
  ],
  { cwd: ROOT, stdio: 'inherit' },
);
// Ctrl-C reaches wrangler too (same process group); wait for it to finish.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

function activeAdmins() {
  const sql = 'select email from users where is_admin = 1 and is_active = 1 order by created_at';
  const out = wrangler(['d1', 'execute', 'DB', '--local', '--persist-to', config.stateDir, '--json', '--command', sql]);
  return (JSON.parse(out)[0]?.results ?? []).map((r) => r.email);
}
