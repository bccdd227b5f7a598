import { SCALE_LOGINS, SCALE_PASSWORD } from '../scripts/scale-data.mjs';
import { api, load } from './worker.mjs';
const [port, path = '/api/users', ...targets] = process.argv.slice(2);
const token = (await api('POST', '/api/auth/login', { body: { email: SCALE_LOGINS.member, password: SCALE_PASSWORD } })).token;
const h = { Authorization: `Bearer ${token}` };
await load('warm', path, h, { duration: 2 });
async function connect(name) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/${name}`);
  await new Promise((r, j) => { ws.addEventListener('open', r); ws.addEventListener('error', j); });
  let id = 0; const pending = new Map();
  ws.addEventListener('message', (m) => { const d = JSON.parse(m.data); if (pending.has(d.id)) { pending.get(d.id)(d); pending.delete(d.id); } });
  const send = (method, params = {}) => new Promise((r) => { const i = ++id; pending.set(i, r); ws.send(JSON.stringify({ id: i, method, params })); });
  return { name, ws, send };
}
const conns = await Promise.all(targets.map(connect));
for (const c of conns) { await c.send('Profiler.enable'); await c.send('Profiler.setSamplingInterval', { interval: 50 }); await c.send('Profiler.start'); }
const { result } = await load('prof', path, h, { duration: 5 });
const n = result.requests.total;
console.log(path, 'requests', n, 'p50', result.latency.p50);
for (const c of conns) {
  const p = (await c.send('Profiler.stop')).result.profile;
  const byId = new Map(p.nodes.map((x) => [x.id, x]));
  const self = new Map();
  p.samples.forEach((s, i) => { const x = byId.get(s); const k = `${x.callFrame.functionName || '(anon)'} ${x.callFrame.url.split('/').pop()}:${x.callFrame.lineNumber}`; self.set(k, (self.get(k) ?? 0) + (p.timeDeltas[i] ?? 0)); });
  const idle = self.get('(idle) :-1') ?? 0;
  const total = [...self.values()].reduce((a, b) => a + b, 0) - idle;
  console.log(`== ${c.name}: busy µs/req ${(total / n).toFixed(0)}`);
  [...self.entries()].filter(([k]) => k !== '(idle) :-1').sort((a, b) => b[1] - a[1]).slice(0, 25).forEach(([k, v]) => console.log((v / n).toFixed(1).padStart(8), k));
  c.ws.close();
}
process.exit(0);
