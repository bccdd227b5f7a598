// npm run e2e: a newcomer's first minutes, as the README tells them, over
// real HTTP. `npm start` on a free port with a fresh state folder and secrets
// file (the CAKE_PLANNER_* variables; the developer's own .dev.vars and
// state are never touched), then `npm run seed` (interrupted once half-way
// and run again), sign-ins as the printed admin and a seeded member, the
// month, the Hall of Fame, a photo that must decode, the calendar feed
// parsed with ical.js, a live NEW_EVENT on the stream, and a signed webhook
// channel delivering to a receiver on the loopback address (the local-only
// override switched on in this run's secrets file), retried after a 500.
// The server is stopped by its process group whatever happens.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import ICAL from 'ical.js';
import { Webhook } from 'standardwebhooks';

const TOTAL_BUDGET_MS = 8 * 60_000;
const dir = mkdtempSync(join(tmpdir(), 'cake-e2e-'));
const port = await freePort();
const base = `http://localhost:${port}`;
const env = {
  ...process.env,
  PORT: String(port),
  CAKE_PLANNER_STATE: join(dir, 'state'),
  CAKE_PLANNER_DEV_VARS: join(dir, 'dev.vars'),
  CI: 'true',
  WRANGLER_SEND_METRICS: 'false',
};
const started = performance.now();
const children = new Set();
let server;
const facts = {};
const results = { passed: 0, failed: 0, skipped: 0 };

const steps = [
  ['npm start refuses an ADMIN_PASSWORD below the password policy, with the reason', weakAdminRefused],
  ['npm start prints a generated admin once and serves the healthcheck', startServer],
  ['GET / answers the JSON index, a browser goes to the docs, the docs load from this origin only', rootAndDocs],
  ['the OpenAPI document passes Redocly’s recommended lint without errors or warnings', openApiLints],
  ['a GET with an oversized body answers 413, as the document declares', getWithOversizedBody],
  ['npm run seed, interrupted half-way, completes when run again', seedInterruptedThenCompleted],
  ['a second npm run seed adds nothing', seedAgainAddsNothing],
  ['the printed admin and a seeded member sign in', signIns],
  ['the month shows cakes of both groups', monthOfCakes],
  ['the Hall of Fame ranks rated cakes', hallOfFame],
  ['a photo URL loads without a header and decodes as an image', photoDecodes],
  ['the calendar feed parses with ical.js', feedParses],
  ['the live stream carries a NEW_EVENT for a cake created now', liveNewEvent],
  ['a webhook channel on the loopback address gets a signed cake.created, the third attempt after two 500s', webhookChannel],
];

let budget;

async function main() {
  budget = setTimeout(() => {
    console.error(`\ne2e: over its budget of ${TOTAL_BUDGET_MS / 60_000} minutes; stopping.`);
    finish(1);
  }, TOTAL_BUDGET_MS);
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      console.error(`\ne2e: ${signal}; stopping the server.`);
      finish(1);
    });
  }

  console.log(`e2e: the first minutes of a newcomer on ${base} (throwaway state in ${dir})`);
  for (const [name, run] of steps) {
    if (results.failed > 0) {
      results.skipped++;
      console.log(`  - ${name} (skipped)`);
      continue;
    }
    const t0 = performance.now();
    try {
      await run();
      results.passed++;
      console.log(`  ✓ ${name} (${seconds(t0)})`);
    } catch (error) {
      results.failed++;
      console.log(`  ✗ ${name} (${seconds(t0)})\n${indent(error.stack ?? String(error))}`);
      if (server) console.log(`  server output (last lines):\n${indent(server.output().split('\n').slice(-40).join('\n'))}`);
    }
  }
  await finish(results.failed > 0 ? 1 : 0);
}

// ─── steps ───────────────────────────────────────────────────────────────────

async function weakAdminRefused() {
  const weakVars = join(dir, 'weak.vars');
  writeFileSync(weakVars, 'ADMIN_EMAIL=me@example.com\nADMIN_PASSWORD=password1\n');
  const run = npm(['start'], { ...env, CAKE_PLANNER_DEV_VARS: weakVars });
  const code = await run.exited(60_000);
  expect(code !== 0, `npm start exited ${code} instead of refusing`);
  expect(
    /ADMIN_PASSWORD does not meet the password policy: This password is too common/.test(run.output()),
    `no reason given:\n${run.output()}`,
  );
  expect(!/Ready on/.test(run.output()), 'wrangler dev started anyway');
}

async function startServer() {
  // The channels' loopback override, for the webhook step: it counts only with a local http PUBLIC_URL.
  writeFileSync(env.CAKE_PLANNER_DEV_VARS, `CHANNELS_ALLOW_LOOPBACK=on\nPUBLIC_URL=${base}\n`);
  server = npm(['start'], env);
  const deadline = Date.now() + 150_000;
  while (Date.now() < deadline) {
    if (server.code() !== null) throw new Error(`npm start exited (${server.code()}) before answering`);
    const health = await fetch(`${base}/api/system/healthcheck`).then(
      (r) => (r.ok ? r.json() : null),
      () => null,
    );
    if (health?.status === 'ok') break;
    await sleep(500);
  }
  expect(Date.now() < deadline, 'no healthy answer within 150 s');
  const printed = /email\s+(\S+@\S+)\s*│\s*\n\s*│\s+password\s+(\S+)\s*│/.exec(server.output());
  expect(printed, 'npm start did not print the generated admin');
  facts.admin = { email: printed[1], password: printed[2] };
}

async function rootAndDocs() {
  const index = await json(await fetch(`${base}/`), 200);
  expect(index.name === 'Cake Planner API' && index.links.docs === '/api/docs', `index: ${JSON.stringify(index)}`);
  const browser = await fetch(`${base}/`, { headers: { Accept: 'text/html' }, redirect: 'manual' });
  expect(browser.status === 302 && browser.headers.get('location') === '/api/docs', `browser got ${browser.status}`);
  const docs = await fetch(`${base}/api/docs`);
  const csp = docs.headers.get('content-security-policy') ?? '';
  const html = await docs.text();
  expect(docs.ok && !/https?:|unsafe-|data:/.test(csp), `docs CSP: ${csp}`);
  for (const [, src] of html.matchAll(/src="([^"]+)"/g)) {
    const res = await fetch(`${base}${src}`);
    expect(
      res.ok && /javascript/.test(res.headers.get('content-type') ?? ''),
      `${src}: ${res.status} ${res.headers.get('content-type')}`,
    );
    await res.arrayBuffer();
  }
}

/**
 * The document the running API serves, through the linter generators and
 * docs tools run (Redocly, recommended rules): any error or warning fails.
 */
async function openApiLints() {
  const source = await (await fetch(`${base}/api/openapi.json`)).text();
  const config = await createConfig({ extends: ['recommended'] });
  const problems = await lintFromString({ source, absoluteRef: `${base}/api/openapi.json`, config });
  const describe = (p) => `${p.severity} ${p.ruleId} at ${p.location?.[0]?.pointer ?? '?'}: ${p.message}`;
  const errors = problems.filter((p) => p.severity === 'error').length;
  console.log(`    lint: ${errors} errors, ${problems.length - errors} warnings`);
  expect(problems.length === 0, `lint problems:\n${problems.map(describe).join('\n')}`);
}

/**
 * The body guard runs before every route: a raw HTTP GET with a body above
 * 64 KiB (fetch cannot send one) gets the 413 the document declares for
 * every operation.
 */
async function getWithOversizedBody() {
  const doc = await json(await fetch(`${base}/api/openapi.json`), 200);
  expect(doc.paths['/api/system/ping'].get.responses['413'], 'GET /api/system/ping declares no 413');
  const body = 'x'.repeat(70 * 1024);
  const res = await new Promise((resolve, reject) => {
    const req = request(`${base}/api/system/ping`, {
      method: 'GET',
      headers: { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(body) },
    });
    req.on('response', (r) => {
      let text = '';
      r.setEncoding('utf8');
      r.on('data', (chunk) => (text += chunk));
      r.on('end', () => resolve({ status: r.statusCode, type: r.headers['content-type'] ?? '', text }));
    });
    req.on('error', reject);
    req.end(body);
  });
  expect(res.status === 413 && /problem\+json/.test(res.type), `GET with a body: ${res.status} ${res.type} ${res.text}`);
  expect(JSON.parse(res.text).code === 'payload_too_large', `code: ${res.text}`);
}

async function seedInterruptedThenCompleted() {
  const first = npm(['run', 'seed'], env);
  await first.waitFor(/\[3\/7\]/, 120_000);
  await sleep(1_500);
  first.kill('SIGKILL');
  await first.exited(10_000);
  facts.interruptedEarly = !/Demo ready/.test(first.output());
  const second = npm(['run', 'seed'], env);
  expect((await second.exited(240_000)) === 0, `seed failed:\n${second.output()}`);
  const out = second.output();
  // It completes what the interrupted run left (or, if that one got through, finds it all there).
  const summary = facts.interruptedEarly
    ? /Demo ready: 2 groups, 10 members, \d+ cakes.*\(added now: /
    : /already here: 2 groups, 10 members/;
  expect(summary.test(out), `no summary:\n${out}`);
  const member = /^\s+(sophie@\S+)\s+(\S+)\s+member of/m.exec(out);
  expect(member, 'the seed printed no login for the member in both groups');
  facts.member = { email: member[1], password: member[2] };
  facts.feed = /^\s+(http:\/\/\S+\/api\/calendar\/\S+\.ics)$/m.exec(out)?.[1];
  expect(facts.feed, 'the seed printed no calendar-feed URL');
  expect(/npm run seed -- --code/.test(out) && /otpauth:\/\/totp\//.test(out), 'no way to the two-factor codes printed');
  expect(/Try this:\n\s+curl /.test(out), 'no "try this" list');
}

async function seedAgainAddsNothing() {
  const again = npm(['run', 'seed'], env);
  expect((await again.exited(120_000)) === 0, `seed failed:\n${again.output()}`);
  expect(/The demo is already here: .*Nothing added/.test(again.output()), `it added something:\n${again.output()}`);
}

async function signIns() {
  const admin = await json(await post('/api/auth/login', facts.admin), 200);
  expect(admin.token && admin.user.isAdmin, 'the admin is no global admin');
  facts.adminToken = admin.token;
  const member = await json(await post('/api/auth/login', facts.member), 200);
  expect(member.token && member.user.groups.length === 2, `member: ${JSON.stringify(member.user)}`);
  facts.token = member.token;
  facts.groups = member.user.groups;
}

async function monthOfCakes() {
  const today = new Date().toISOString().slice(0, 10);
  const start = `${today.slice(0, 7)}-01`;
  const end = new Date(Date.UTC(Number(today.slice(0, 4)), Number(today.slice(5, 7)), 0)).toISOString().slice(0, 10);
  const month = await json(await get(`/api/events?start=${start}&end=${end}`), 200);
  expect(month.length >= 6, `only ${month.length} cakes this month`);
  expect(new Set(month.map((e) => e.groupId)).size === 2, 'the month shows only one group');
  expect(
    month.every((e) => e.description && e.bakerName),
    'a cake without description or baker',
  );
}

async function hallOfFame() {
  const ranked = await json(await get('/api/events/ranked?limit=5'), 200);
  expect(ranked.length === 5 && ranked.every((e) => e.rating.count > 0), 'the Hall of Fame is not full of rated cakes');
  facts.ranked = ranked;
}

async function photoDecodes() {
  const withPhoto = facts.ranked.find((e) => e.photoUrl) ?? facts.ranked[0];
  for (const url of [withPhoto.photoUrl, withPhoto.photoUrl.replace(/\.\w+$/, '__480.webp'), withPhoto.gallery[0]?.url].filter(
    Boolean,
  )) {
    const res = await fetch(url);
    expect(res.ok && /^image\//.test(res.headers.get('content-type') ?? ''), `${url}: ${res.status}`);
    const image = decodeImage(Buffer.from(await res.arrayBuffer()));
    expect(image.width >= 100 && image.height >= 100, `${url}: ${image.width}×${image.height}`);
  }
}

async function feedParses() {
  const { url } = await json(await get('/api/user/calendar'), 200);
  expect(url === facts.feed, `the feed URL changed: ${url} vs printed ${facts.feed}`);
  const res = await fetch(url);
  expect(res.ok && /text\/calendar/.test(res.headers.get('content-type') ?? ''), `feed: ${res.status}`);
  const calendar = new ICAL.Component(ICAL.parse(await res.text()));
  const events = calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
  expect(events.length >= 20, `only ${events.length} events in the feed`);
  expect(
    events.every((e) => e.summary && e.startDate.isDate && e.uid),
    'a VEVENT without summary, all-day date or UID',
  );
}

async function liveNewEvent() {
  const abort = new AbortController();
  const res = await fetch(`${base}/api/events/stream`, {
    headers: { Authorization: `Bearer ${facts.token}` },
    signal: abort.signal,
  });
  expect(res.ok && /text\/event-stream/.test(res.headers.get('content-type') ?? ''), `stream: ${res.status}`);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  const read = async (until, ms) => {
    const deadline = Date.now() + ms;
    while (!until(text)) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      const chunk = await Promise.race([reader.read(), sleep(left).then(() => null)]);
      if (!chunk || chunk.done) return until(text);
      text += chunk.value;
    }
    return true;
  };
  try {
    // The first `id:` comes once every group hub is subscribed.
    expect(await read((t) => /^id: /m.test(t), 15_000), `no opening id on the stream: ${JSON.stringify(text)}`);
    const date = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);
    const created = await json(
      await post(
        '/api/events',
        { date, description: 'e2e: a cake from the smoke test', groupId: facts.groups[0].id },
        facts.token,
      ),
      201,
    );
    const seen = await read(
      (t) => t.split('\n').some((l) => l.startsWith('data: ') && l.includes('"NEW_EVENT"') && l.includes(created.id)),
      15_000,
    );
    expect(seen, `no NEW_EVENT for ${created.id} within 15 s: ${JSON.stringify(text.slice(-500))}`);
  } finally {
    abort.abort();
  }
}

/**
 * A receiver on 127.0.0.1 answers the first two requests 500 and the next
 * 200; a webhook channel of the member's group points at it; a new cake
 * arrives, is retried by the queue (the first retry comes within 30 s) and,
 * once the log shows the delivery failed twice, retried by hand: three
 * attempts under one webhook-id, each signed (verified with the reference
 * package), and the channel's log shows the delivery delivered after three.
 */
async function webhookChannel() {
  // Only this step's cake counts: an earlier step's cake may still be on its way through the queue.
  const description = 'e2e: a cake for the channel';
  const requests = [];
  const receiver = createHttpServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const ours = body.includes(description);
      if (ours) requests.push({ headers: req.headers, body });
      const refused = ours && requests.length <= 2;
      res.statusCode = refused ? 500 : 200;
      res.end(refused ? 'not yet' : 'ok');
    });
  });
  await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${receiver.address().port}/cake`;
    const group = facts.groups[0].id;
    const channel = await json(await post(`/api/groups/${group}/channels`, { kind: 'webhook', url }, facts.adminToken), 201);
    expect(channel.secret?.startsWith('whsec_'), 'no signing secret in the answer');
    const date = new Date(Date.now() + 61 * 86_400_000).toISOString().slice(0, 10);
    const created = await json(await post('/api/events', { date, description, groupId: group }, facts.token), 201);
    const deadline = Date.now() + 90_000;
    while (requests.length < 2 && Date.now() < deadline) await sleep(250);
    expect(requests.length >= 2, `the receiver got ${requests.length} of 2 attempts within 90 s`);
    const deliveryId = requests[0].headers['webhook-id'].slice('msg_'.length);
    const logOf = async () =>
      (
        await json(
          await fetch(`${base}/api/channels/${channel.id}/deliveries`, {
            headers: { Authorization: `Bearer ${facts.adminToken}` },
          }),
          200,
        )
      ).find((d) => d.id === deliveryId);
    let failed = await logOf();
    while (failed?.attempts !== 2 && Date.now() < deadline) {
      await sleep(250);
      failed = await logOf();
    }
    expect(failed?.status === 'failed' && failed.attempts === 2, `log after two refusals: ${JSON.stringify(failed)}`);
    await json(await post(`/api/channels/${channel.id}/deliveries/${deliveryId}/retry`, {}, facts.adminToken), 202);
    while (requests.length < 3 && Date.now() < deadline) await sleep(250);
    expect(requests.length === 3, `the receiver got ${requests.length} of 3 attempts`);
    const verifier = new Webhook(channel.secret);
    const payloads = requests.map((r) => verifier.verify(r.body, r.headers));
    expect(
      payloads.every((p) => p.type === 'cake.created' && p.data.eventId === created.id),
      `payloads: ${JSON.stringify(payloads)}`,
    );
    expect(new Set(requests.map((r) => r.headers['webhook-id'])).size === 1, 'the attempts carry different webhook-ids');
    let delivered = await logOf();
    while (delivered?.status !== 'delivered' && Date.now() < deadline) {
      await sleep(250);
      delivered = await logOf();
    }
    expect(delivered?.status === 'delivered' && delivered.attempts === 3, `log: ${JSON.stringify(delivered)}`);
  } finally {
    receiver.close();
  }
}

// ─── helpers ─────────────────────────────────────────────────────────────────

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const seconds = (t0) => `${((performance.now() - t0) / 1000).toFixed(1)} s`;
const indent = (text) => text.replace(/^/gm, '      ');

function get(path) {
  return fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${facts.token}` } });
}

function post(path, body, token) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  return fetch(`${base}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
}

async function json(res, status) {
  const text = await res.text();
  expect(res.status === status, `${res.url}: expected ${status}, got ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

/** Width and height of a PNG (decoded whole: chunks, CRC-free inflate, row sizes) or a WebP (its header). */
function decodeImage(bytes) {
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    let offset = 8;
    let header;
    const data = [];
    while (offset < bytes.length) {
      const length = bytes.readUInt32BE(offset);
      const type = bytes.toString('ascii', offset + 4, offset + 8);
      const body = bytes.subarray(offset + 8, offset + 8 + length);
      if (type === 'IHDR') header = { width: body.readUInt32BE(0), height: body.readUInt32BE(4), depth: body[8], color: body[9] };
      if (type === 'IDAT') data.push(body);
      offset += 12 + length;
    }
    expect(header, 'PNG without IHDR');
    const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[header.color];
    const rowBytes = Math.ceil((header.width * channels * header.depth) / 8) + 1;
    const pixels = inflateSync(Buffer.concat(data));
    expect(
      pixels.length === rowBytes * header.height,
      `PNG pixel data is ${pixels.length} bytes, not ${rowBytes * header.height}`,
    );
    return header;
  }
  if (bytes.toString('ascii', 0, 4) === 'RIFF' && bytes.toString('ascii', 8, 12) === 'WEBP') {
    const chunk = bytes.toString('ascii', 12, 16);
    if (chunk === 'VP8X') return { width: 1 + bytes.readUIntLE(24, 3), height: 1 + bytes.readUIntLE(27, 3) };
    if (chunk === 'VP8L') {
      const bits = bytes.readUInt32LE(21);
      return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
    }
    if (chunk === 'VP8 ') return { width: bytes.readUInt16LE(26) & 0x3fff, height: bytes.readUInt16LE(28) & 0x3fff };
  }
  throw new Error(`not a PNG or WebP image (starts ${bytes.subarray(0, 12).toString('hex')})`);
}

/** A port nothing listens on right now, on both loopback addresses wrangler may bind. */
async function freePort() {
  for (;;) {
    const port = await new Promise((resolve, reject) => {
      const probe = createServer()
        .once('error', reject)
        .listen(0, '127.0.0.1', () => {
          const { port } = probe.address();
          probe.close(() => resolve(port));
        });
    });
    const alsoFree = await new Promise((resolve) => {
      const probe = createServer()
        .once('error', (e) => resolve(e.code === 'EADDRNOTAVAIL'))
        .listen(port, '::1', () => probe.close(() => resolve(true)));
    });
    if (alsoFree) return port;
  }
}

/** `npm …` in its own process group, so stopping it stops wrangler and workerd too. */
function npm(args, childEnv) {
  const child = spawn('npm', args, { env: childEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let output = '';
  const waiters = [];
  const onData = (d) => {
    output += d;
    for (const w of [...waiters]) {
      if (!w.pattern.test(output)) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exit = new Promise((r) => child.once('exit', (code, signal) => r(code ?? signal)));
  exit.then(() => children.delete(child));
  return {
    output: () => output,
    code: () => child.exitCode ?? child.signalCode,
    kill: (signal = 'SIGTERM') => killGroup(child, signal),
    exited: (ms) =>
      Promise.race([
        exit,
        sleep(ms).then(() =>
          Promise.reject(new Error(`npm ${args.join(' ')} still running after ${ms / 1000} s:\n${output.slice(-3000)}`)),
        ),
      ]),
    waitFor: (pattern, ms) =>
      new Promise((resolve, reject) => {
        if (pattern.test(output)) return resolve();
        waiters.push({ pattern, resolve });
        setTimeout(
          () => reject(new Error(`no ${pattern} from npm ${args.join(' ')} within ${ms / 1000} s:\n${output.slice(-3000)}`)),
          ms,
        );
        exit.then(() => reject(new Error(`npm ${args.join(' ')} ended before ${pattern}:\n${output.slice(-3000)}`)));
      }),
  };
}

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

async function stopAll() {
  const running = [...children];
  for (const child of running) killGroup(child, 'SIGTERM');
  const gone = Promise.all(
    running.map((c) => new Promise((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once('exit', r)))),
  );
  await Promise.race([gone, sleep(10_000)]);
  // wrangler may leave workerd behind on SIGTERM: the group goes for good.
  for (const child of running) killGroup(child, 'SIGKILL');
}

async function finish(code) {
  clearTimeout(budget);
  await stopAll();
  rmSync(dir, { recursive: true, force: true });
  console.log(
    `e2e took ${seconds(started)}${facts.interruptedEarly === false ? ' (the first seed finished before it could be interrupted)' : ''}`,
  );
  console.log(`e2e: ${results.passed} passed, ${results.failed} failed${results.skipped ? `, ${results.skipped} skipped` : ''}`);
  process.exit(code);
}

main();
