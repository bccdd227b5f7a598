// npm run deploy [-- --dry-run]: from a Cloudflare login to a running API,
// and from there to the new code, saying what it does at each step.
//
//   1. the login (`wrangler whoami`)
//   2. the secrets that are not set yet: random signing keys, and the first
//      admin (email asked for or ADMIN_EMAIL, password generated and shown
//      once); decided before anything is changed, set after the queues
//   3. the queues of wrangler.toml that do not exist yet (producers, consumers
//      and their dead-letter queues, whatever wrangler.toml names)
//   4. the remote D1 migrations, then `wrangler deploy` (which creates the D1
//      database and the R2 bucket on the first deploy: wrangler's automatic
//      provisioning; on that first one the migrations follow the deploy, as
//      the database exists only from then on)
//   5. the URL, the docs URL and what is left to do by hand
//
// Running it again creates nothing that exists and deploys the new code.
// `--dry-run` prints the plan and calls nothing. `wrangler` is the one on
// PATH (npm puts the project's first), so a test can stand in for it.
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline/promises';
import { fileURLToPath } from 'node:url';
import { randomKey, randomPassword, SIGNING_KEYS } from './dev-setup.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { passwordProblem } = await import('../src/auth/password-policy.ts');
const { unstable_readConfig } = await import('wrangler');

const EMAIL_SHAPE = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

class Stop extends Error {}

const say = (line = '') => console.log(line);
const step = (what) => say(`\n▸ ${what}`);

/** wrangler's own words from a failed call: its error line, else the last line it printed. */
function reason(result) {
  const text = `${result.stdout ?? ''}\n${result.stderr ?? ''}`;
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return (lines.find((l) => /✘|\[ERROR\]/.test(l)) ?? lines.at(-1) ?? `exit ${result.status}`).replace(
    /^✘\s*(\[ERROR\]\s*)?/,
    '',
  );
}

/** A wrangler call whose answer is read here (nothing is shown). */
function ask(args, input) {
  const result = spawnSync('wrangler', args, {
    cwd: ROOT,
    encoding: 'utf8',
    input,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
  });
  if (result.error) throw new Stop(`Could not run wrangler: ${result.error.message}. Run this through npm (npm run deploy).`);
  return result;
}

/** A wrangler call that does something: its output goes to the terminal as it comes, and is kept. */
function act(args, input) {
  say(`  $ wrangler ${args.join(' ')}`);
  return new Promise((done, failed) => {
    const child = spawn('wrangler', args, {
      cwd: ROOT,
      stdio: [input === undefined ? 'inherit' : 'pipe', 'pipe', 'pipe'],
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
      process.stderr.write(chunk);
    });
    if (input !== undefined) child.stdin.end(input);
    child.on('error', (error) => failed(new Stop(`Could not run wrangler: ${error.message}`)));
    child.on('exit', (code) => {
      if (code === 0) done(output);
      else failed(new Stop(`wrangler ${args.slice(0, 3).join(' ')} failed (exit ${code}); nothing after it was done.`));
    });
  });
}

/** What wrangler.toml asks for: the Worker's name, every queue it names, the database. */
function resources(configPath = 'wrangler.toml') {
  const config = unstable_readConfig({ config: `${ROOT}/${configPath}` }, { hideWarnings: true });
  const queues = new Set();
  for (const p of config.queues.producers ?? []) queues.add(p.queue);
  for (const c of config.queues.consumers ?? []) {
    queues.add(c.queue);
    if (c.dead_letter_queue) queues.add(c.dead_letter_queue);
  }
  const database = config.d1_databases.find((d) => d.binding === 'DB');
  return {
    worker: config.name,
    queues: [...queues],
    database: database?.database_name,
    buckets: config.r2_buckets.map((b) => b.bucket_name),
  };
}

function checkLogin() {
  step('Cloudflare login');
  const result = ask(['whoami', '--json']);
  let who;
  try {
    who = JSON.parse(result.stdout);
  } catch {
    who = { loggedIn: false };
  }
  if (result.status !== 0 || !who.loggedIn) {
    throw new Stop('Not logged in to Cloudflare: run `npx wrangler login` (or set CLOUDFLARE_API_TOKEN), then this again.');
  }
  const accounts = who.accounts ?? [];
  if (accounts.length > 1 && !process.env.CLOUDFLARE_ACCOUNT_ID) {
    throw new Stop(
      `This login reaches ${accounts.length} accounts (${accounts.map((a) => `${a.name} ${a.id}`).join(', ')}): ` +
        'set CLOUDFLARE_ACCOUNT_ID to the one to deploy to.',
    );
  }
  say(`  ${who.email ?? who.authType ?? 'logged in'}${accounts.length === 1 ? `, account ${accounts[0].name}` : ''}`);
}

async function ensureQueues(queues) {
  step('Queues');
  for (const queue of queues) {
    const info = ask(['queues', 'info', queue]);
    if (info.status === 0) {
      say(`  ${queue}: exists`);
      continue;
    }
    if (!/does not exist/i.test(`${info.stdout}${info.stderr}`)) {
      throw new Stop(`Could not look up the queue ${queue}: ${reason(info)}`);
    }
    say(`  ${queue}: creating`);
    await act(['queues', 'create', queue]);
  }
}

/** The names of the Worker's secrets; none while the Worker does not exist yet. */
function secretNames(worker) {
  const result = ask(['secret', 'list', '--format', 'json']);
  if (result.status !== 0) {
    if (/not found/i.test(`${result.stdout}${result.stderr}`)) return [];
    throw new Stop(`Could not list the secrets of ${worker}: ${reason(result)}`);
  }
  const json = result.stdout.slice(result.stdout.indexOf('['));
  return JSON.parse(json).map((s) => s.name);
}

async function adminEmail() {
  const given = process.env.ADMIN_EMAIL?.trim();
  if (given) {
    if (!EMAIL_SHAPE.test(given)) throw new Stop(`ADMIN_EMAIL "${given}" is not an email address.`);
    return given;
  }
  if (!process.stdin.isTTY) {
    throw new Stop(
      'The first admin is not set up yet: set ADMIN_EMAIL (the admin’s email address), or run `npm run deploy` in a terminal to be asked.',
    );
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    for (;;) {
      const answer = (await rl.question('  Email address of the first administrator: ')).trim();
      if (EMAIL_SHAPE.test(answer)) return answer;
      say('  That is not an email address.');
    }
  } finally {
    rl.close();
  }
}

/**
 * The first admin is generated only while neither ADMIN_EMAIL nor
 * ADMIN_PASSWORD is set: once the admin exists, ADMIN_PASSWORD may be
 * deleted (README), and that must not bring a new one.
 */
async function adminSecrets() {
  const email = await adminEmail();
  const given = process.env.ADMIN_PASSWORD;
  if (given) {
    const problem = passwordProblem(given);
    if (problem) throw new Stop(`ADMIN_PASSWORD does not meet the password policy: ${problem}.`);
    return { secrets: { ADMIN_EMAIL: email, ADMIN_PASSWORD: given }, shown: null };
  }
  // A CI log keeps what it is shown: there, the password must come from a secret of its own.
  if (process.env.CI) {
    throw new Stop(
      'The first admin is not set up yet, and a generated password would end up in the CI log: ' +
        'run `npm run deploy` once from a terminal, or give ADMIN_PASSWORD as a secret.',
    );
  }
  const password = randomPassword();
  const problem = passwordProblem(password);
  if (problem) throw new Error(`generated admin password refused: ${problem}`);
  return { secrets: { ADMIN_EMAIL: email, ADMIN_PASSWORD: password }, shown: { email, password } };
}

/** Which secrets to add (asks for the admin's email now, before anything is changed). */
async function planSecrets(worker) {
  step('Secrets');
  const present = new Set(secretNames(worker));
  const missing = {};
  for (const key of SIGNING_KEYS) {
    if (present.has(key)) {
      say(`  ${key}: set`);
    } else {
      say(`  ${key}: not set; a random key is made`);
      missing[key] = randomKey();
    }
  }
  let admin = null;
  if (present.has('ADMIN_EMAIL') || present.has('ADMIN_PASSWORD')) {
    say('  first admin: set (ADMIN_EMAIL)');
  } else {
    say('  first admin: not set (ADMIN_EMAIL, ADMIN_PASSWORD)');
    const made = await adminSecrets();
    Object.assign(missing, made.secrets);
    admin = made.shown;
  }
  return { missing, admin };
}

async function addSecrets(missing) {
  const names = Object.keys(missing);
  if (names.length === 0) return;
  step(`Secrets: adding ${names.join(', ')}`);
  // Through stdin: the values are never in a file or on a command line.
  await act(['secret', 'bulk'], JSON.stringify(missing));
}

function databaseExists(name) {
  const result = ask(['d1', 'list', '--json']);
  if (result.status !== 0) throw new Stop(`Could not list the D1 databases: ${reason(result)}`);
  const list = JSON.parse(result.stdout.slice(result.stdout.indexOf('[')));
  return list.some((db) => db.name === name);
}

function buildFacts() {
  const sha =
    process.env.COMMIT_SHA ||
    spawnSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout?.trim() ||
    'unknown';
  const date = process.env.BUILD_DATE || new Date().toISOString();
  return ['--var', `COMMIT_SHA:${sha}`, '--var', `BUILD_DATE:${date}`];
}

async function migrateAndDeploy(database) {
  const migrate = ['d1', 'migrations', 'apply', 'DB', '--remote'];
  const deploy = ['deploy', ...buildFacts()];
  step('Database and code');
  let output;
  if (databaseExists(database)) {
    // The new schema first: the code that needs it follows.
    await act(migrate);
    output = await act(deploy);
  } else {
    say(`  D1 database ${database} does not exist yet: the deploy creates it, then its tables are made`);
    output = await act(deploy).catch((error) => {
      throw new Stop(
        `${error.message}\nA first deploy also needs R2 enabled on the account and a workers.dev subdomain ` +
          '(README, "Deploy to Cloudflare").',
      );
    });
    await act(migrate);
  }
  return /https:\/\/[^\s]+\.workers\.dev\b/.exec(output)?.[0] ?? null;
}

function leftByHand(url) {
  say(`
Left to do by hand:
  • Email Routing on your zone (dashboard), and MAIL_FROM set to an address of that zone
    (until then mail is retried, then listed to global admins at /api/admin/dead-letters)
  • CORS_ORIGINS: the web frontends' origins, comma-separated (none allowed now)
  • PUBLIC_URL: the API's public URL for links in mails and calendars${url ? ` (e.g. ${url})` : ''}
  • ADMIN_PASSWORD can be deleted once the admin has signed in: npx wrangler secret delete ADMIN_PASSWORD
MAIL_FROM, CORS_ORIGINS and PUBLIC_URL go in wrangler.toml [vars], then npm run deploy again
(each deploy sets the variables of wrangler.toml: a value changed in the dashboard is replaced).`);
}

function printPlan({ worker, queues, database, buckets }) {
  say(`Plan for the Worker "${worker}" (dry run: nothing is called)
  1. check the login: wrangler whoami --json
  2. find the secrets that are not set: wrangler secret list
       ${SIGNING_KEYS.join(', ')}: random keys
       ADMIN_EMAIL, ADMIN_PASSWORD, only while neither is set: the email from ADMIN_EMAIL or asked,
         the password from ADMIN_PASSWORD or generated and shown once
  3. create the queues that do not exist: wrangler queues info <name>, then queues create <name>
       ${queues.join(', ')}
     then set the missing secrets: wrangler secret bulk (values through stdin)
  4. the D1 database ${database} (wrangler d1 list --json)
       exists:  wrangler d1 migrations apply DB --remote, then wrangler deploy
       not yet: wrangler deploy (creates it and the R2 bucket ${buckets.join(', ')}), then the migrations
       the deploy sets COMMIT_SHA and BUILD_DATE (from the environment, else git and now)
  5. print the URL, the docs URL and what is left to do by hand`);
}

async function main(argv = process.argv.slice(2)) {
  const unknown = argv.filter((a) => a !== '--dry-run');
  if (unknown.length > 0) throw new Stop(`Unknown option ${unknown[0]}; the only one is --dry-run.`);
  const plan = resources();
  if (argv.includes('--dry-run')) {
    printPlan(plan);
    return;
  }
  checkLogin();
  const { missing, admin } = await planSecrets(plan.worker);
  await ensureQueues(plan.queues);
  await addSecrets(missing);
  const url = await migrateAndDeploy(plan.database);

  step('Done');
  if (url) {
    say(`  API   ${url}\n  docs  ${url}/api/docs`);
  } else {
    say('  Deployed; wrangler printed no workers.dev URL (see its routes above).');
  }
  if (admin) {
    const lines = [
      'The first administrator (the password is shown only this once):',
      `  email     ${admin.email}`,
      `  password  ${admin.password}`,
      'It is created on the first request; kept as the secrets ADMIN_EMAIL and ADMIN_PASSWORD.',
    ];
    const width = Math.max(...lines.map((l) => l.length));
    const rule = '─'.repeat(width + 2);
    say(`\n┌${rule}┐\n${lines.map((l) => `│ ${l.padEnd(width)} │`).join('\n')}\n└${rule}┘`);
  }
  leftByHand(url);
}

try {
  await main();
} catch (error) {
  if (!(error instanceof Stop)) throw error;
  console.error(`\n✘ ${error.message}`);
  process.exitCode = 1;
}
