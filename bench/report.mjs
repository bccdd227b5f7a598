// Keeps BENCHMARKS.md and its chart current: each benchmark stores its last
// run under bench/results/, and the page is rebuilt from both, so small and
// scale data stand side by side.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';

const RESULTS = 'bench/results';
const PING = 'GET /api/system/ping (baseline)';

export function machine() {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? 'CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}, Node ${process.version}`;
}

export function writeReport(kind, run) {
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(
    `${RESULTS}/${kind}.json`,
    `${JSON.stringify({ date: new Date().toISOString(), machine: machine(), ...run }, null, 2)}\n`,
  );
  const small = read('small');
  const scale = read('scale');
  writeFileSync('bench/benchmarks.svg', chart(small, scale));
  writeFileSync('BENCHMARKS.md', page(small, scale, read('scale-10')));
}

const read = (kind) =>
  existsSync(`${RESULTS}/${kind}.json`) ? JSON.parse(readFileSync(`${RESULTS}/${kind}.json`, 'utf8')) : null;

/** The ping an endpoint is compared with: its paired ping load if the run has one, else the run's baseline row. */
const pingOf = (run, e) => e?.ping ?? run?.endpoints.find((x) => x.title === PING);

const ratioOf = (run, title) => {
  const e = run?.endpoints.find((x) => x.title === title);
  const ping = pingOf(run, e);
  return ping && e ? e.p50 / Math.max(ping.p50, 0.5) : null;
};

const escapeXml = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function chart(small, scale) {
  const titles = [...new Set([...(small?.endpoints ?? []), ...(scale?.endpoints ?? [])].map((e) => e.title))];
  const max = Math.max(4, ...titles.flatMap((t) => [ratioOf(small, t) ?? 0, ratioOf(scale, t) ?? 0]));
  const [left, width, row] = [330, 400, 30];
  const x = (v) => left + (v / max) * width;
  const height = 50 + titles.length * row;
  const bars = titles
    .map((t, i) => {
      const y = 40 + i * row;
      const bar = (v, dy, color) =>
        v === null
          ? ''
          : `<rect x="${left}" y="${y + dy}" width="${(x(v) - left).toFixed(1)}" height="10" fill="${color}"/>` +
            `<text x="${(x(v) + 4).toFixed(1)}" y="${y + dy + 9}" font-size="10">${v.toFixed(1)}×</text>`;
      return (
        `<text x="${left - 8}" y="${y + 14}" font-size="11" text-anchor="end">${escapeXml(t)}</text>` +
        bar(ratioOf(small, t), 2, '#9ecae1') +
        bar(ratioOf(scale, t), 14, '#e6550d')
      );
    })
    .join('\n');
  const budget = x(3);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${left + width + 80}" height="${height}" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>
<text x="10" y="18" font-size="13" font-weight="bold">p50 latency as a multiple of GET /api/system/ping in the same run</text>
<rect x="${left}" y="26" width="10" height="8" fill="#9ecae1"/><text x="${left + 14}" y="34" font-size="10">small data (npm run bench)</text>
<rect x="${left + 170}" y="26" width="10" height="8" fill="#e6550d"/><text x="${left + 184}" y="34" font-size="10">scale data (npm run bench -- --scale)</text>
<line x1="${budget}" y1="38" x2="${budget}" y2="${height - 6}" stroke="#444" stroke-dasharray="4 3"/>
<text x="${budget + 3}" y="${height - 8}" font-size="10">3× budget</text>
${bars}
</svg>
`;
}

function table(run) {
  const rows = run.endpoints.map((e) => {
    const ping = pingOf(run, e);
    const cells = [
      e.title,
      e.p50.toFixed(1),
      e.p99.toFixed(1),
      e.rps.toFixed(0),
      ping ? (e.p50 / Math.max(ping.p50, 0.5)).toFixed(2) : '',
      ping ? (e.rps / ping.rps).toFixed(2) : '',
    ];
    if (run.kind === 'scale') cells.push(e.items ?? '', e.sql ?? '', e.verdict ?? '');
    return `| ${cells.join(' | ')} |`;
  });
  const head =
    run.kind === 'scale'
      ? '| endpoint | p50 ms | p99 ms | req/s | p50 × ping | req/s ÷ ping | items | D1 per request | budget |\n|---|---|---|---|---|---|---|---|---|'
      : '| endpoint | p50 ms | p99 ms | req/s | p50 × ping | req/s ÷ ping |\n|---|---|---|---|---|---|';
  return `${head}\n${rows.join('\n')}`;
}

function section(title, run) {
  if (!run) return `## ${title}\n\nNot run yet.\n`;
  return `## ${title}

\`${run.command}\` on ${run.date.slice(0, 10)}; ${run.machine}; ${run.connections} connections, ${run.pairs ? `${run.pairs} × ${run.pairSeconds} s` : `${run.seconds} s`} per endpoint.
${run.notes ? `\n${run.notes}\n` : ''}
${table(run)}
${run.extra ? `\n${run.extra}\n` : ''}`;
}

function page(small, scale, scale10) {
  return `# Benchmarks

Written by \`npm run bench\` (small data) and \`npm run bench -- --scale\` (the scale data set: 50 groups,
5,000 users, 100,000 events, about 1,000,000 ratings). The scale budgets are in the units production
pays, per request, from the \`Server-Timing\` the Worker reports with \`SERVER_TIMING=on\`: D1 round trips,
rows read (D1 bills them) and time inside D1 (whole milliseconds locally), summed over the request's
statements. Wall-clock figures come from one run on one machine under \`wrangler dev\`, where the load
generator, the local proxy, the Worker and the local D1 share the machine's cores and the local D1
simulator's cost per row dominates: they are reported as ratios to \`GET /api/system/ping\` of the same run,
for information. In the scale run each endpoint is loaded a few times, each load right after a ping load of
the same length, and compared by the medians (the baseline row is the median of every ping load). Every
request reads its page from D1: no isolate keeps pages or responses.

![p50 per endpoint against ping, small and scale data](bench/benchmarks.svg)

${section('Scale data', scale)}
${section('Scale data, ten times (npm run bench -- --scale --size 10)', scale10)}
${section('Small data', small)}`;
}
