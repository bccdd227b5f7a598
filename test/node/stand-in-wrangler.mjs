#!/usr/bin/env node
// A stand-in `wrangler` for the deploy script's tests: it records each call
// (arguments, and what came through stdin) in STAND_IN_LOG and answers as
// wrangler does, from an account kept in STAND_IN_ACCOUNT (a JSON file:
// logged in or not, the queues, the Worker's secrets, the D1 databases).
// What a call creates is added there, so a second run sees it.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';

const args = process.argv.slice(2);
const account = JSON.parse(readFileSync(process.env.STAND_IN_ACCOUNT, 'utf8'));
const stdin = args[0] === 'secret' && args[1] === 'bulk' ? readFileSync(0, 'utf8') : undefined;
appendFileSync(process.env.STAND_IN_LOG, `${JSON.stringify({ args, stdin })}\n`);

const save = () => writeFileSync(process.env.STAND_IN_ACCOUNT, JSON.stringify(account));
const fail = (message) => {
  process.stderr.write(`✘ [ERROR] ${message}\n`);
  process.exit(1);
};
const is = (...prefix) => prefix.every((word, i) => args[i] === word);

if (!account.loggedIn) {
  if (is('whoami')) {
    process.stdout.write(`${JSON.stringify({ loggedIn: false })}\n`);
    process.exit(1);
  }
  fail('You are not authenticated. Please run `wrangler login`.');
}

if (is('whoami', '--json')) {
  const { email, accounts } = account;
  process.stdout.write(`${JSON.stringify({ loggedIn: true, authType: 'OAuth Token', email, accounts })}\n`);
} else if (is('queues', 'info')) {
  if (!account.queues.includes(args[2]))
    fail(`Queue "${args[2]}" does not exist. To create it, run: wrangler queues create ${args[2]}`);
  process.stdout.write(`Queue Name: ${args[2]}\nQueue ID: 0123\n`);
} else if (is('queues', 'create')) {
  if (account.queues.includes(args[2])) fail(`A queue with this name already exists. [code: 11009]`);
  account.queues.push(args[2]);
  process.stdout.write(`🌀 Creating queue '${args[2]}'\n✅ Created queue '${args[2]}'\n`);
} else if (is('secret', 'list')) {
  if (!account.worker)
    fail('Worker "cake-planner" not found.\n\nIf this is a new Worker, run `wrangler deploy` first to create it.');
  process.stdout.write(
    JSON.stringify(
      account.secrets.map((name) => ({ name, type: 'secret_text' })),
      null,
      '  ',
    ),
  );
} else if (is('secret', 'bulk')) {
  const names = Object.keys(JSON.parse(stdin));
  account.worker = true;
  account.secrets.push(...names.filter((n) => !account.secrets.includes(n)));
  process.stdout.write(`✨ ${names.length} secrets successfully created\n`);
} else if (is('d1', 'list', '--json')) {
  process.stdout.write(JSON.stringify(account.databases.map((name) => ({ uuid: `uuid-of-${name}`, name }))));
} else if (is('d1', 'migrations', 'apply', 'DB', '--remote')) {
  if (!account.databases.includes('cake-planner')) fail("Couldn't find a D1 DB named 'cake-planner' (bound as 'DB') in the API.");
  process.stdout.write('✅ Migrations applied\n');
} else if (is('deploy')) {
  if (account.r2Disabled)
    fail('A request to the Cloudflare API failed. Please enable R2 through the Cloudflare Dashboard. [code: 10042]');
  account.worker = true;
  if (!account.databases.includes('cake-planner')) {
    process.stdout.write('Provisioning DB (D1 Database)...\n🌀 Creating new D1 Database "cake-planner"...\n');
    account.databases.push('cake-planner');
  }
  process.stdout.write(
    'Total Upload: 718.45 KiB / gzip: 238.56 KiB\nUploaded cake-planner (4.20 sec)\nDeployed cake-planner triggers (1.10 sec)\n  https://cake-planner.example.workers.dev\n  schedule: 0 6 * * *\n',
  );
} else {
  fail(`the stand-in does not know: wrangler ${args.join(' ')}`);
}
save();
