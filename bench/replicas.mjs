// npm run bench -- --replicas: D1 read replicas, modelled. Local D1 has no
// geography, so the Worker runs with D1_LATENCY_MODEL: every round trip of a
// request on the primary waits PRIMARY_MS, on a replica REPLICA_MS. The
// figures model a user on another continent from the primary (a 150 ms
// round trip, the order of a transatlantic or Europe–Asia RTT) and a replica
// in their region (5 ms). Each endpoint's sequential p50, replicas off and
// on, next to the trivial route of the same run.
import { api, BASE, fmt, groupWithMembers, nextIp, startWorker, stop } from './worker.mjs';

const PRIMARY_MS = 150;
const REPLICA_MS = 5;
const SAMPLES = 15;
const STATE = '.wrangler/bench-replicas-state';
const ADMIN = { email: 'replica-admin@cake.test', password: `Replica-${Date.now()}-Admin` };

async function seed() {
  const { members } = await groupWithMembers(ADMIN, 3, 'Replicas');
  const [baker, member] = members.map((m) => m.token);
  const created = await api('POST', '/api/events', { token: baker, body: { date: '2026-03-10', description: 'Cake' } });
  await api('POST', `/api/events/${created.id}/rate`, { token: member, body: { stars: 5 } });
  return { member, eventId: created.id };
}

async function p50(method, path, token, body) {
  const times = [];
  for (let i = 0; i < SAMPLES; i++) {
    const headers = { 'CF-Connecting-IP': nextIp(), ...(token ? { Authorization: `Bearer ${token}` } : {}) };
    if (body) headers['Content-Type'] = 'application/json';
    const start = performance.now();
    const res = await fetch(BASE + path, { method, headers, body: body ? JSON.stringify(body) : undefined });
    await res.arrayBuffer();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

async function measure(readReplicas) {
  const child = await startWorker({
    state: STATE,
    main: 'bench/latency-worker.ts',
    vars: {
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      READ_REPLICAS: readReplicas,
      D1_LATENCY_MODEL: `primary=${PRIMARY_MS},replica=${REPLICA_MS}`,
    },
  });
  try {
    const { member, eventId } = await seed();
    const targets = [
      ['GET /api/system/ping', 'GET', '/api/system/ping'],
      ['GET /api/events (a month)', 'GET', '/api/events?start=2026-03-01&end=2026-03-31', member],
      ['GET /api/events/{id}', 'GET', `/api/events/${eventId}`, member],
      ['GET /api/events/ranked', 'GET', '/api/events/ranked', member],
      ['GET /api/users', 'GET', '/api/users', member],
      ['GET /api/user (primary)', 'GET', '/api/user', member],
      ['POST /api/events/{id}/rate (write)', 'POST', `/api/events/${eventId}/rate`, member, { stars: 4 }],
    ];
    const results = {};
    for (const [title, method, path, token, body] of targets) results[title] = await p50(method, path, token, body);
    return results;
  } finally {
    stop(child);
  }
}

const off = await measure('off');
const on = await measure('');
console.log(
  `\nModelled D1 latency per round trip: primary ${PRIMARY_MS} ms, replica ${REPLICA_MS} ms; sequential p50 of ${SAMPLES}\n`,
);
console.log('endpoint'.padEnd(38), 'replicas off', ' replicas on', '  × ping (on)');
for (const title of Object.keys(off)) {
  console.log(
    title.padEnd(38),
    `${fmt(off[title], 0)} ms`.padStart(12),
    `${fmt(on[title], 0)} ms`.padStart(12),
    `${fmt(on[title] / on['GET /api/system/ping'], 1)}×`.padStart(14),
  );
}
