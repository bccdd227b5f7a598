// npm run seed [-- --reset | --code]
// A friendly demo in the local API that `npm start` serves (same port, state
// and secrets; see scripts/local-env.mjs), put in through the API itself:
// uses the running API, or starts one on the local state for the time of
// the seed. Idempotent: a second run reports what is there and adds nothing.
//   --reset  start from an empty local state (stop npm start first)
//   --code   print the two-factor member's current sign-in code
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { addDays } from '../src/lib/time.ts';
import { describeAdmin, SetupRefused, setUpLocalSecrets } from './dev-setup.mjs';
import { applyMigrations, localConfig, ROOT, shown, wranglerArgs } from './local-env.mjs';
import { apiClient, probeApi } from './seed/client.mjs';
import { GROUPS, MEMBERS } from './seed/demo.mjs';
import { plantDemo } from './seed/plant.mjs';
import { currentCode, ensureRecord, loadRecord } from './seed/record.mjs';

const STEPS = 7;
const { values: args } = parseArgs({ options: { reset: { type: 'boolean' }, code: { type: 'boolean' } } });
const config = localConfig();

class Refusal extends Error {}

async function main() {
  if (args.code) return printCode();
  if (args.reset) await reset();

  let setup;
  try {
    setup = setUpLocalSecrets(config);
  } catch (error) {
    throw error instanceof SetupRefused ? new Refusal(error.message) : error;
  }
  describeAdmin(setup, config);

  const hadDatabase = existsSync(join(config.stateDir, 'v3', 'd1'));
  const applied = applyMigrations(config);
  if (applied > 0 && hadDatabase)
    console.log(`The local database was ${applied} migration(s) behind; applied them, as npm start does.`);

  const worker = await findOrStartWorker();
  try {
    const record = ensureRecord(config.stateDir);
    console.log(`Planting the demo through ${config.baseUrl} …`);
    const result = await plantDemo({
      api: apiClient(config.baseUrl),
      admin: setup.admin,
      record,
      stateDir: config.stateDir,
      log: progress,
    });
    await report(result, record, setup.admin);
  } finally {
    await worker?.stop();
  }
}

/** The local API answering on the port, or one started on the local state until the seed is done. */
async function findOrStartWorker() {
  const found = await probeApi(config.baseUrl);
  if (found?.ours) {
    console.log(`Using the API already running at ${config.baseUrl}.`);
    return null;
  }
  if (found)
    throw new Refusal(
      `Port ${config.port} answers, but not as the Cake Planner API (status ${found.status}). Set PORT to another port.`,
    );
  console.log(`Starting a local API on port ${config.port} for the seed (stopped when it is done) …`);
  const child = spawn(
    process.execPath,
    [
      resolve(ROOT, 'node_modules/wrangler/bin/wrangler.js'),
      'dev',
      '--port',
      String(config.port),
      ...wranglerArgs(config),
      '--show-interactive-dev-session=false',
      '--log-level',
      'warn',
    ],
    { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true' } },
  );
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((r) => child.once('exit', r));
  const stop = async () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {}
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {}
  };
  for (const deadline = Date.now() + 120_000; Date.now() < deadline; ) {
    if (child.exitCode !== null) throw new Error(`wrangler dev stopped before answering:\n${output.slice(-2000)}`);
    if ((await probeApi(config.baseUrl))?.ours) return { stop };
    await new Promise((r) => setTimeout(r, 500));
  }
  await stop();
  throw new Error(`The local API did not answer on port ${config.port} within 2 minutes:\n${output.slice(-2000)}`);
}

async function reset() {
  if (await probeApi(config.baseUrl)) {
    throw new Refusal(
      `An API is running on port ${config.port} (npm start?). Stop it first: --reset deletes the local state it serves.`,
    );
  }
  rmSync(config.stateDir, { recursive: true, force: true });
  console.log(`Reset: removed the local state (${shown(config.stateDir)}).`);
}

const tty = process.stdout.isTTY;
let current = 0;
/** One line per step; on a terminal, the cake being planted ticks along on it. */
function progress(step, text, detail = false) {
  if (detail) {
    if (tty) process.stdout.write(`\r\x1b[K  [${step}/${STEPS}] ${text.slice(0, (process.stdout.columns ?? 80) - 10)}`);
    return;
  }
  if (tty && current) process.stdout.write('\r\x1b[K');
  current = step;
  console.log(`  [${step}/${STEPS}] ${text}`);
}

async function report({ added, census, groups, people, tokenOf, planning }, record, admin) {
  if (tty) process.stdout.write('\r\x1b[K');
  const { totals, hallOfFame } = census;
  const there = `${totals.groups} groups, ${totals.members} members, ${totals.cakes} cakes, ${totals.ratings} ratings, ${totals.photos} photos`;
  const addedSomething = Object.values(added).some((n) => n > 0);
  if (addedSomething) {
    const parts = Object.entries(added)
      .filter(([, n]) => n > 0)
      .map(([what, n]) => `${n} ${what === 'twoFactor' ? 'two-factor setup' : what}`);
    console.log(`\nDemo ready: ${there} (added now: ${parts.join(', ')}).`);
  } else {
    console.log(`\nThe demo is already here: ${there}. Nothing added (npm run seed -- --reset starts over).`);
  }

  console.log('\nHall of Fame:');
  for (const [i, e] of hallOfFame.entries()) {
    console.log(
      `  ${i + 1}. ${e.description} (${e.bakerName}, ${e.groupName}): ${e.rating.average.toFixed(1)} ★ from ${e.rating.count} ratings`,
    );
  }

  const groupName = (key) => groups[key].name;
  console.log('\nLogins (demo passwords, local only):');
  console.log(`  ${admin.email.padEnd(24)} ${`(ADMIN_PASSWORD in ${shown(config.devVars)})`}  global admin`);
  for (const m of MEMBERS) {
    const roles = m.groups.map((g) => (m.admin === g ? `admin of ${groupName(g)}` : `member of ${groupName(g)}`)).join(', ');
    const extra = m.twoFactor ? ', two-factor (see below)' : '';
    console.log(`  ${m.email.padEnd(24)} ${record.passwords[m.email].padEnd(14)} ${roles}${extra}`);
  }
  const twoFactor = MEMBERS.find((m) => m.twoFactor);
  const secret = loadRecord(config.stateDir)?.otpauth;
  if (secret) {
    console.log(`\nTwo-factor: ${twoFactor.email} signs in with a code. Get the current one with  npm run seed -- --code`);
    console.log(`  or add the secret ${currentCode(secret).secret} to an authenticator app (otpauth URI: ${secret})`);
  }

  const both = MEMBERS.find((m) => m.groups.length > 1);
  const feed = await apiClient(config.baseUrl).get('/api/user/calendar', {
    token: await tokenOf(people[both.email]),
    as: both.email,
  });
  console.log(
    `\nCalendar feed of ${both.name} (both groups), to subscribe to in a phone's calendar:\n  ${feed.webcalUrl}\n  ${feed.url}`,
  );
  console.log("  (a phone needs an address it can reach: start with  npm start -- --ip 0.0.0.0  and use this machine's address)");

  const base = config.baseUrl;
  const today = new Date().toISOString().slice(0, 10);
  const monthStart = `${today.slice(0, 7)}-01`;
  console.log(`
Try this:
  curl -s ${base}/
  TOKEN=$(curl -s ${base}/api/auth/login -H 'Content-Type: application/json' \\
    -d '{"email":"${both.email}","password":"${record.passwords[both.email]}"}' | sed -E 's/.*"token":"([^"]+)".*/\\1/')
  curl -s "${base}/api/events?start=${monthStart}&end=${endOfMonth(monthStart)}" -H "Authorization: Bearer $TOKEN"
  curl -s "${base}/api/events/ranked?limit=3" -H "Authorization: Bearer $TOKEN"
  curl -sN ${base}/api/events/stream -H "Authorization: Bearer $TOKEN"     # live updates; Ctrl-C ends
  Open ${base}/api/docs and sign in there with any login above ("Try it out" on POST /api/auth/login).

Planning: ${planning.group.name} bakes every Friday; ${planning.away.name} is away next week.
  curl -s ${base}/api/groups/${planning.group.id}/schedule -H "Authorization: Bearer $TOKEN"
  curl -s ${base}/api/groups/${planning.group.id}/rotation -H "Authorization: Bearer $TOKEN"      # who bakes next
  curl -s "${base}/api/groups/${planning.group.id}/cake-days?from=${today}&to=${addDays(today, 60)}" -H "Authorization: Bearer $TOKEN"${assignmentHint(planning, people, record, base)}
  Groups: ${GROUPS.map((g) => `${g.name} (${g.timeZone})`).join(', ')}.`);
}

/** How to answer the demo's pending assignment, as its assignee. */
function assignmentHint(planning, people, record, base) {
  const a = planning.assignment;
  if (!a) return '';
  const assignee = Object.values(people).find((p) => p.id === a.userId);
  if (!assignee) return '';
  return `
Assignment: ${a.userName} is asked to bake on ${a.date} (pending). Their mail holds one-click accept and decline links.
  As ${a.userName}:  ASSIGNEE=$(curl -s ${base}/api/auth/login -H 'Content-Type: application/json' \\
    -d '{"email":"${assignee.email}","password":"${record.passwords[assignee.email]}"}' | sed -E 's/.*"token":"([^"]+)".*/\\1/')
  curl -s ${base}/api/user/assignments -H "Authorization: Bearer $ASSIGNEE"
  curl -s -X POST ${base}/api/assignments/${a.id}/accept -H "Authorization: Bearer $ASSIGNEE" \\
    -H 'Content-Type: application/json' -d '{"description":"Apple pie"}'     # or …/decline with {"reason":"…"}`;
}

function endOfMonth(first) {
  const d = new Date(`${first}T00:00:00Z`);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).toISOString().slice(0, 10);
}

function printCode() {
  const otpauth = loadRecord(config.stateDir)?.otpauth;
  if (!otpauth) throw new Refusal('No two-factor member in this local state yet: run npm run seed first.');
  const { code, validFor } = currentCode(otpauth);
  const who = MEMBERS.find((m) => m.twoFactor);
  console.log(`${who.name} (${who.email}): ${code}  (valid for ${Math.ceil(validFor)} more seconds, and once)`);
}

main().catch((error) => {
  if (tty) process.stdout.write('\n');
  console.error(
    error instanceof Refusal
      ? error.message
      : `Seed failed: ${error.message}\nRun npm run seed again: it completes what is missing.`,
  );
  if (!(error instanceof Refusal) && process.env.DEBUG) console.error(error);
  process.exitCode = 1;
});
