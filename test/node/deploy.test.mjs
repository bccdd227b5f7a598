// `npm run deploy` (scripts/deploy.mjs) against a stand-in `wrangler` on
// PATH (./stand-in-wrangler.mjs): the calls it makes and their order on a
// fresh account, again on the account it left, on an account where all
// exists, without a login, and for --dry-run (no call at all).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dirs = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const ALL_SECRETS = ['JWT_SECRET', 'PHOTO_SIGNING_KEY', 'TOTP_ENCRYPTION_KEY', 'ADMIN_EMAIL', 'ADMIN_PASSWORD'];
/** Every queue of wrangler.toml, in the order the script meets them: producers and consumers first, then dead-letter queues. */
const QUEUES = ['cake-planner-mail', 'cake-planner-channels', 'cake-planner-mail-dlq', 'cake-planner-channels-dlq'];

function account(state) {
  const dir = mkdtempSync(join(tmpdir(), 'deploy-test-'));
  dirs.push(dir);
  symlinkSync(fileURLToPath(new URL('stand-in-wrangler.mjs', import.meta.url)), join(dir, 'wrangler'));
  const file = join(dir, 'account.json');
  writeFileSync(
    file,
    JSON.stringify({
      loggedIn: true,
      email: 'owner@example.com',
      accounts: [{ id: 'acc1', name: 'Cake Co' }],
      queues: [],
      worker: false,
      secrets: [],
      databases: [],
      ...state,
    }),
  );
  return { dir, file };
}

/** Runs the deploy script on `acct`; returns its output and the wrangler calls it made (since the last run). */
function deploy(acct, { args = [], env = {} } = {}) {
  const log = join(acct.dir, `calls-${Math.random()}.jsonl`);
  writeFileSync(log, '');
  const result = spawnSync(process.execPath, [join(ROOT, 'scripts/deploy.mjs'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PATH: `${acct.dir}${delimiter}${process.env.PATH}`,
      STAND_IN_ACCOUNT: acct.file,
      STAND_IN_LOG: log,
      CI: '',
      ADMIN_EMAIL: 'boss@cake.example',
      ADMIN_PASSWORD: '',
      COMMIT_SHA: 'abc123',
      BUILD_DATE: '2026-12-07T12:00:00Z',
      CLOUDFLARE_ACCOUNT_ID: '',
      ...env,
    },
  });
  const calls = readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
  return {
    status: result.status,
    out: `${result.stdout}\n${result.stderr}`,
    calls,
    commands: calls.map((c) => c.args.join(' ')),
  };
}

const DEPLOY = 'deploy --var COMMIT_SHA:abc123 --var BUILD_DATE:2026-12-07T12:00:00Z';
const MIGRATE = 'd1 migrations apply DB --remote';

describe('npm run deploy', () => {
  it('takes a fresh account to a deployed Worker, in order, and shows the admin password once', () => {
    const acct = account();
    const run = deploy(acct);
    assert.equal(run.status, 0, run.out);
    assert.deepEqual(run.commands, [
      'whoami --json',
      'secret list --format json',
      ...QUEUES.flatMap((q) => [`queues info ${q}`, `queues create ${q}`]),
      'secret bulk',
      'd1 list --json',
      // No database yet: the deploy provisions it, then its tables are made.
      DEPLOY,
      MIGRATE,
    ]);
    const secrets = JSON.parse(run.calls.find((c) => c.args[1] === 'bulk').stdin);
    assert.deepEqual(Object.keys(secrets).sort(), [...ALL_SECRETS].sort());
    assert.equal(secrets.ADMIN_EMAIL, 'boss@cake.example');
    for (const key of ['JWT_SECRET', 'PHOTO_SIGNING_KEY', 'TOTP_ENCRYPTION_KEY']) assert.match(secrets[key], /^[\w-]{43}$/);
    assert.equal(new Set(Object.values(secrets)).size, 5, 'every key is its own');
    // The password is shown, once; no secret value is ever on a command line.
    assert.equal(run.out.split(secrets.ADMIN_PASSWORD).length, 2, run.out);
    for (const value of Object.values(secrets)) assert.ok(!run.calls.some((c) => c.args.join(' ').includes(value)));
    for (const key of ['JWT_SECRET', 'PHOTO_SIGNING_KEY', 'TOTP_ENCRYPTION_KEY']) assert.ok(!run.out.includes(secrets[key]));
    assert.match(run.out, /API {3}https:\/\/cake-planner\.example\.workers\.dev\n/);
    assert.match(run.out, /docs {2}https:\/\/cake-planner\.example\.workers\.dev\/api\/docs/);
    for (const todo of ['Email Routing', 'MAIL_FROM', 'CORS_ORIGINS', 'PUBLIC_URL']) assert.ok(run.out.includes(todo), todo);
  });

  it('run again, creates nothing, migrates first and deploys', () => {
    const acct = account();
    assert.equal(deploy(acct).status, 0);
    const again = deploy(acct);
    assert.equal(again.status, 0, again.out);
    assert.deepEqual(again.commands, [
      'whoami --json',
      'secret list --format json',
      ...QUEUES.map((q) => `queues info ${q}`),
      'd1 list --json',
      MIGRATE,
      DEPLOY,
    ]);
    assert.doesNotMatch(again.out, /password {2}/);
  });

  it('on an account where everything exists, only migrates and deploys', () => {
    const acct = account({ queues: QUEUES, worker: true, secrets: ALL_SECRETS, databases: ['cake-planner'] });
    const run = deploy(acct, { env: { ADMIN_EMAIL: '' } });
    assert.equal(run.status, 0, run.out);
    assert.deepEqual(run.commands.slice(-2), [MIGRATE, DEPLOY]);
    assert.ok(!run.commands.some((c) => /create|bulk/.test(c)), run.commands.join('\n'));
  });

  it('adds only the keys that are missing, and no admin once ADMIN_PASSWORD was deleted', () => {
    const acct = account({ queues: QUEUES, worker: true, secrets: ['JWT_SECRET', 'ADMIN_EMAIL'], databases: ['cake-planner'] });
    const run = deploy(acct, { env: { ADMIN_EMAIL: '' } });
    assert.equal(run.status, 0, run.out);
    const bulk = run.calls.find((c) => c.args[1] === 'bulk');
    assert.deepEqual(Object.keys(JSON.parse(bulk.stdin)).sort(), ['PHOTO_SIGNING_KEY', 'TOTP_ENCRYPTION_KEY']);
  });

  it('takes a given ADMIN_PASSWORD (never shown) and refuses a weak one before changing anything', () => {
    const strong = deploy(account(), { env: { ADMIN_PASSWORD: 'Given-Admin-Password-42' } });
    assert.equal(strong.status, 0, strong.out);
    assert.equal(JSON.parse(strong.calls.find((c) => c.args[1] === 'bulk').stdin).ADMIN_PASSWORD, 'Given-Admin-Password-42');
    assert.ok(!strong.out.includes('Given-Admin-Password-42'));

    const weak = deploy(account(), { env: { ADMIN_PASSWORD: 'password' } });
    assert.equal(weak.status, 1);
    assert.match(weak.out, /ADMIN_PASSWORD does not meet the password policy/);
    assert.deepEqual(weak.commands, ['whoami --json', 'secret list --format json']);
  });

  it('in CI, does not generate an admin password into the log', () => {
    const run = deploy(account(), { env: { CI: 'true' } });
    assert.equal(run.status, 1);
    assert.match(run.out, /CI log/);
    assert.deepEqual(run.commands, ['whoami --json', 'secret list --format json']);
  });

  it('without an admin email and no terminal to ask in, stops before changing anything', () => {
    const run = deploy(account(), { env: { ADMIN_EMAIL: '' } });
    assert.equal(run.status, 1);
    assert.match(run.out, /set ADMIN_EMAIL/);
    assert.ok(!run.commands.some((c) => /create|bulk|deploy|apply/.test(c)));
  });

  it('stops when the first deploy fails, says what a fresh account needs, and migrates nothing', () => {
    const run = deploy(account({ r2Disabled: true }));
    assert.equal(run.status, 1);
    assert.match(run.out, /enable R2/);
    assert.match(run.out, /R2 enabled on the account and a workers\.dev subdomain/);
    assert.equal(run.commands.at(-1), DEPLOY);
  });

  it('without a login, says how to log in and calls nothing else', () => {
    const run = deploy(account({ loggedIn: false }));
    assert.equal(run.status, 1);
    assert.match(run.out, /npx wrangler login/);
    assert.deepEqual(run.commands, ['whoami --json']);
  });

  it('with a login that reaches several accounts, asks for CLOUDFLARE_ACCOUNT_ID', () => {
    const accounts = [
      { id: 'a1', name: 'One' },
      { id: 'a2', name: 'Two' },
    ];
    const run = deploy(account({ accounts }));
    assert.equal(run.status, 1);
    assert.match(run.out, /CLOUDFLARE_ACCOUNT_ID/);
    assert.equal(deploy(account({ accounts }), { env: { CLOUDFLARE_ACCOUNT_ID: 'a2' } }).status, 0);
  });

  it('--dry-run prints the plan, every queue of wrangler.toml in it, and calls nothing', () => {
    const run = deploy(account(), { args: ['--dry-run'] });
    assert.equal(run.status, 0, run.out);
    assert.deepEqual(run.calls, []);
    const toml = readFileSync(join(ROOT, 'wrangler.toml'), 'utf8');
    const named = [...toml.matchAll(/^\s*(?:queue|dead_letter_queue)\s*=\s*"([^"]+)"/gm)].map((m) => m[1]);
    assert.ok(named.length >= 2);
    for (const queue of named) assert.ok(run.out.includes(queue), queue);
    for (const step of ['whoami', 'secret bulk', 'queues create', 'migrations apply', 'wrangler deploy']) {
      assert.ok(run.out.includes(step), step);
    }
  });
});
