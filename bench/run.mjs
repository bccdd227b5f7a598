// npm run bench: starts the Worker locally (wrangler dev, its own local
// state), loads it from this second process with autocannon, and prints each
// endpoint's p50/p99 latency and requests/s next to the trivial route
// /api/system/ping measured in the same run, as ratios. Figures from one run
// on one machine: compare ratios, not absolute numbers.
import { spawn, execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import autocannon from 'autocannon';
import { benchStream, printStreamResults } from './stream.mjs';

const PORT = Number(process.env.BENCH_PORT ?? 8799);
const BASE = `http://127.0.0.1:${PORT}`;
const STATE = '.wrangler/bench-state';
const ADMIN = { email: 'bench-admin@cake.test', password: `Bench-${Date.now()}-Admin` };
const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let ipSeq = 0;
const nextIp = () => `10.77.${(++ipSeq >> 8) & 255}.${ipSeq & 255}`;

async function startWorker() {
  execFileSync('node', ['scripts/dev-setup.mjs'], { stdio: 'ignore' });
  rmSync(STATE, { recursive: true, force: true });
  execFileSync('npx', ['wrangler', 'd1', 'migrations', 'apply', 'DB', '--local', '--persist-to', STATE], {
    stdio: 'ignore',
    env: { ...process.env, CI: 'true' },
  });
  const child = spawn(
    'npx',
    ['wrangler', 'dev', '--port', String(PORT), '--ip', '127.0.0.1', '--persist-to', STATE,
      '--var', `ADMIN_EMAIL:${ADMIN.email}`, '--var', `ADMIN_PASSWORD:${ADMIN.password}`,
      '--show-interactive-dev-session=false', '--log-level', 'warn'],
    { stdio: ['ignore', 'inherit', 'inherit'], detached: true, env: { ...process.env, CI: 'true' } },
  );
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`${BASE}/api/system/ping`)).ok) return child;
    } catch {}
    await sleep(500);
  }
  throw new Error('Worker did not start');
}

function stop(child) {
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {}
}

async function api(method, path, { token, body } = {}) {
  const headers = { 'CF-Connecting-IP': nextIp() };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${BASE}${path}`, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** A group with a few members, events and ratings, so reads have something to read. */
async function seed() {
  const { token: admin } = await api('POST', '/api/auth/login', { body: ADMIN });
  const group = await api('POST', '/api/admin/groups', { token: admin, body: { name: `Bench ${Date.now()}` } });
  const members = [];
  for (let i = 0; i < 5; i++) {
    const email = `bench-${i}-${Date.now()}@cake.test`;
    const password = `Bench-member-${i}-password`;
    const { userId } = await api('POST', '/api/auth/register', { body: { name: `Baker ${i}`, email, password } });
    await api('PUT', `/api/admin/users/${userId}/status`, { token: admin, body: { isActive: true } });
    await api('POST', '/api/admin/users/assign-group', { token: admin, body: { userId, groupId: group.id } });
    members.push({ ...(await api('POST', '/api/auth/login', { body: { email, password } })), email, password });
  }
  const events = [];
  for (let i = 0; i < 20; i++) {
    try {
      const baker = members[i % members.length];
      const date = `2026-${String((i % 9) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`;
      const created = await api('POST', '/api/events', { token: baker.token, body: { date, description: `Cake ${i}` } });
      events.push(created.id);
      for (const m of members) if (m !== baker) await api('POST', `/api/events/${created.id}/rate`, { token: m.token, body: { stars: 1 + (i % 5) } }).catch(() => {});
    } catch (error) {
      if (i === 0) console.log(`(events not seeded: ${error.message.slice(0, 80)})`);
      break;
    }
  }
  return { admin, member: members[0], events };
}

function load(title, path, headers = {}) {
  return new Promise((resolve, reject) => {
    autocannon(
      { url: `${BASE}${path}`, connections: CONNECTIONS, duration: DURATION, headers },
      (error, result) => (error ? reject(error) : resolve({ title, result })),
    );
  });
}

function workerdRssMiB() {
  try {
    const out = execFileSync('ps', ['-C', 'workerd', '-o', 'rss='], { encoding: 'utf8' });
    return out.split('\n').filter(Boolean).reduce((sum, kb) => sum + Number(kb), 0) / 1024;
  } catch {
    return NaN;
  }
}

async function sequentialLatency(title, count, request) {
  const times = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await request(i);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { title, p50: times[Math.floor(times.length / 2)], p99: times[Math.min(times.length - 1, Math.floor(times.length * 0.99))] };
}

const fmt = (n, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');

async function main() {
  const child = await startWorker();
  try {
    const { admin, member, events } = await seed();
    const auth = { Authorization: `Bearer ${member.token}` };
    const targets = [
      ['GET /api/system/ping (baseline)', '/api/system/ping', {}],
      ['GET /api/system/healthcheck', '/api/system/healthcheck', {}],
      ['GET /api/user', '/api/user', auth],
      ['GET /api/admin/users', '/api/admin/users', { Authorization: `Bearer ${admin}` }],
    ];
    if (events.length > 0) {
      targets.push(['GET /api/events (a month)', '/api/events?start=2026-03-01&end=2026-03-31', auth]);
      targets.push([`GET /api/events/{id}`, `/api/events/${events[0]}`, auth]);
      targets.push(['GET /api/events/ranked', '/api/events/ranked', auth]);
    }
    const results = [];
    for (const [title, path, headers] of targets) {
      results.push(await load(title, path, headers));
    }
    const base = results[0].result;
    console.log(`\nLoad: ${CONNECTIONS} connections × ${DURATION}s per endpoint, one run, local wrangler dev\n`);
    console.log('endpoint'.padEnd(34), 'p50 ms', ' p99 ms', '   req/s', ' p50×base', ' req/s÷base', ' non-2xx');
    for (const { title, result } of results) {
      const r = result;
      console.log(
        title.padEnd(34),
        fmt(r.latency.p50).padStart(6),
        fmt(r.latency.p99).padStart(7),
        fmt(r.requests.average, 0).padStart(8),
        fmt(r.latency.p50 / Math.max(base.latency.p50, 0.5), 2).padStart(9),
        fmt(r.requests.average / base.requests.average, 2).padStart(11),
        String(r.non2xx).padStart(8),
      );
    }

    // Argon2id: a login is one hash verification; sequential, so it is the hash cost plus one request.
    const ping = await sequentialLatency('ping', 15, () => fetch(`${BASE}/api/system/ping`).then((r) => r.text()));
    const login = await sequentialLatency('login', 15, (i) =>
      fetch(`${BASE}/api/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': nextIp() },
        body: JSON.stringify({ email: `nobody-${i}@cake.test`, password: 'wrong-password' }),
      }).then((r) => r.text()),
    );
    console.log(
      `\nArgon2id (m=19456 KiB, t=2, p=1): sequential login p50 ${fmt(login.p50)} ms vs ping ${fmt(ping.p50)} ms` +
        ` → about ${fmt(login.p50 - ping.p50)} ms per hash (${fmt(login.p50 / ping.p50, 1)}× a trivial request)`,
    );
    console.log(`workerd RSS after load: ${fmt(workerdRssMiB(), 0)} MiB`);

    const streams = await benchStream({ baseUrl: BASE, adminEmail: ADMIN.email, adminPassword: ADMIN.password });
    printStreamResults(streams, base.latency.p50);
  } finally {
    stop(child);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
