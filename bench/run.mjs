// npm run bench: starts the Worker locally (wrangler dev, its own local
// state), loads it from this second process with autocannon, and prints each
// endpoint's p50/p99 latency and requests/s next to the trivial route
// /api/system/ping measured in the same run, as ratios. Figures from one run
// on one machine: compare ratios, not absolute numbers.

import { writeReport } from './report.mjs';
import { benchStream, printStreamResults, streamMarkdown } from './stream.mjs';
import {
  api,
  BASE,
  CONNECTIONS,
  DURATION,
  fmt,
  groupWithMembers,
  load,
  nextIp,
  sequentialLatency,
  startWorker,
  stop,
  workerdRssMiB,
} from './worker.mjs';

if (process.argv.includes('--scale')) {
  await import('./scale.mjs');
  process.exit(process.exitCode ?? 0);
}
if (process.argv.includes('--replicas')) {
  await import('./replicas.mjs');
  process.exit(process.exitCode ?? 0);
}

const STATE = '.wrangler/bench-state';
const ADMIN = { email: 'bench-admin@cake.test', password: `Bench-${Date.now()}-Admin` };

/** A group with a few members, events and ratings, so reads have something to read. */
async function seed() {
  const { admin, members } = await groupWithMembers(ADMIN, 5, 'Bench');
  const events = [];
  for (let i = 0; i < 20; i++) {
    try {
      const baker = members[i % members.length];
      const date = `2026-${String((i % 9) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`;
      const created = await api('POST', '/api/events', { token: baker.token, body: { date, description: `Cake ${i}` } });
      events.push(created.id);
      for (const m of members)
        if (m !== baker)
          await api('POST', `/api/events/${created.id}/rate`, { token: m.token, body: { stars: 1 + (i % 5) } }).catch(() => {});
    } catch (error) {
      if (i === 0) console.log(`(events not seeded: ${error.message.slice(0, 80)})`);
      break;
    }
  }
  return { admin, member: members[0], events };
}

async function main() {
  const child = await startWorker({ state: STATE, vars: { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password } });
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
    writeReport('small', {
      command: 'npm run bench',
      connections: CONNECTIONS,
      seconds: DURATION,
      endpoints: results.map(({ title, result }) => ({
        title,
        p50: result.latency.p50,
        p99: result.latency.p99,
        rps: result.requests.average,
        non2xx: result.non2xx,
      })),
      extra: streamMarkdown(streams),
    });
  } finally {
    stop(child);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
