// What both benchmarks share: a local Worker on its own state folder, a
// client for its API, autocannon loads and the formatting of results.
import { execFileSync, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import autocannon from 'autocannon';

export const PORT = Number(process.env.BENCH_PORT ?? 8799);
export const BASE = `http://127.0.0.1:${PORT}`;
export const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let ipSeq = Math.floor(Math.random() * 10_000);
export const nextIp = () => `10.77.${(++ipSeq >> 8) & 255}.${ipSeq & 255}`;

/** Fresh (or kept, with `keep`) local state, migrations applied, then `wrangler dev` until it answers. */
/** `main`: another entry than wrangler.toml's, e.g. bench/latency-worker.ts. */
export async function startWorker({ state, vars = {}, keep = false, beforeStart, main }) {
  // Local setup as npm start does it; a refused .dev.vars says why on stderr.
  execFileSync('node', ['scripts/dev-setup.mjs'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (!keep) rmSync(state, { recursive: true, force: true });
  execFileSync('npx', ['wrangler', 'd1', 'migrations', 'apply', 'DB', '--local', '--persist-to', state], {
    stdio: 'ignore',
    env: { ...process.env, CI: 'true' },
  });
  await beforeStart?.();
  const varArgs = Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}:${v}`]);
  const child = spawn(
    'npx',
    [
      'wrangler',
      'dev',
      ...(main ? [main] : []),
      '--port',
      String(PORT),
      '--ip',
      '127.0.0.1',
      '--persist-to',
      state,
      ...varArgs,
      '--show-interactive-dev-session=false',
      '--log-level',
      'warn',
    ],
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

export function stop(child) {
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {}
}

export async function api(method, path, { token, body } = {}) {
  const headers = { 'CF-Connecting-IP': nextIp() };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${BASE}${path}`, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text.slice(0, 200)}`);
  return text ? JSON.parse(text) : undefined;
}

/**
 * A new group with `count` active members, through the API as an admin
 * would: `{ admin, group, members: [{ token, user, email, password }] }`.
 */
export async function groupWithMembers(adminLogin, count, prefix) {
  const { token: admin } = await api('POST', '/api/auth/login', { body: adminLogin });
  const stamp = Date.now();
  const group = await api('POST', '/api/admin/groups', { token: admin, body: { name: `${prefix} ${stamp}` } });
  const members = [];
  for (let i = 0; i < count; i++) {
    const email = `${prefix.toLowerCase()}-${i}-${stamp}@cake.test`;
    const password = `${prefix}-member-${i}-password`;
    const { userId } = await api('POST', '/api/auth/register', { body: { name: `Baker ${i}`, email, password } });
    await api('PUT', `/api/admin/users/${userId}/status`, { token: admin, body: { isActive: true } });
    await api('POST', '/api/admin/users/assign-group', { token: admin, body: { userId, groupId: group.id } });
    members.push({ ...(await api('POST', '/api/auth/login', { body: { email, password } })), email, password });
  }
  return { admin, group, members };
}

/** One autocannon run; `paths` ([{path, headers?}]) rotates the request per request (e.g. many feeds). */
export function load(title, path, headers = {}, { connections = CONNECTIONS, duration = DURATION, paths } = {}) {
  return new Promise((resolve, reject) => {
    let i = 0;
    const options = { url: `${BASE}${path}`, connections, duration, headers };
    if (paths) {
      options.requests = [
        {
          setupRequest: (req) => {
            const next = paths[i++ % paths.length];
            return { ...req, path: next.path, headers: { ...req.headers, ...next.headers } };
          },
        },
      ];
    }
    autocannon(options, (error, result) => (error ? reject(error) : resolve({ title, result })));
  });
}

export function workerdRssMiB() {
  try {
    const out = execFileSync('ps', ['-C', 'workerd', '-o', 'rss='], { encoding: 'utf8' });
    return (
      out
        .split('\n')
        .filter(Boolean)
        .reduce((sum, kb) => sum + Number(kb), 0) / 1024
    );
  } catch {
    return NaN;
  }
}

export async function sequentialLatency(title, count, request) {
  const times = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await request(i);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return {
    title,
    p50: times[Math.floor(times.length / 2)],
    p99: times[Math.min(times.length - 1, Math.floor(times.length * 0.99))],
  };
}

export const fmt = (n, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
