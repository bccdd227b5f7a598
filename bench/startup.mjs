// The Worker's size and start-up, as Cloudflare counts them: the upload's
// gzip size from `wrangler deploy --dry-run` (the same build a deploy
// uploads) and the active CPU of `wrangler check startup` (the isolate
// compiling the entry and running its top level), median of several runs.
// Beside them, what each way in compiles (scripts/build-worker.mjs): the
// build splits the Worker so that start-up compiles the entry alone and the
// first request the HTTP surface; that cost moves to the first request, and
// the line says how much.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildWorker, waysIn } from '../scripts/build-worker.mjs';

export const STARTUP_BUDGET = { activeMs: 15, gzipKiB: 250 };

const wrangler = (args) =>
  execFileSync('npx', ['wrangler', ...args], {
    encoding: 'utf8',
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' },
  });

export async function measureStartup({ runs = 5 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'cake-startup-'));
  try {
    const upload = wrangler(['deploy', '--dry-run', '--outdir', join(dir, 'bundle')]).match(
      /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/,
    );
    if (!upload) throw new Error('wrangler deploy --dry-run printed no upload size');
    const active = [];
    for (let i = 0; i < runs; i++) {
      const out = wrangler(['check', 'startup', '--outfile', join(dir, `startup-${i}.cpuprofile`)]);
      const ms = out.match(/Active: ([\d.]+) ms/);
      if (!ms) throw new Error('wrangler check startup printed no active time');
      active.push(Number(ms[1]));
    }
    active.sort((a, b) => a - b);
    const ways = waysIn((await buildWorker({ metafile: true })).metafile);
    const result = {
      uploadKiB: Number(upload[1]),
      gzipKiB: Number(upload[2]),
      activeMs: active[Math.floor(active.length / 2)],
      activeRange: [active[0], active.at(-1)],
      compiledKiB: Object.fromEntries(Object.entries(ways).map(([way, { bytes }]) => [way, Math.round(bytes / 102.4) / 10])),
    };
    const fails = [];
    if (result.activeMs > STARTUP_BUDGET.activeMs)
      fails.push(`start-up ${result.activeMs} ms active > ${STARTUP_BUDGET.activeMs} ms`);
    if (result.gzipKiB > STARTUP_BUDGET.gzipKiB) fails.push(`bundle ${result.gzipKiB} KiB gzip > ${STARTUP_BUDGET.gzipKiB} KiB`);
    result.verdict = fails.length ? `FAIL: ${fails.join('; ')}` : 'PASS';
    result.line =
      `Bundle ${result.uploadKiB} KiB, ${result.gzipKiB} KiB gzip (budget ${STARTUP_BUDGET.gzipKiB}); start-up ${result.activeMs} ms active CPU ` +
      `(median of ${runs} \`wrangler check startup\` runs, ${result.activeRange[0]}–${result.activeRange[1]} ms; budget ${STARTUP_BUDGET.activeMs}): ${result.verdict}. ` +
      `JavaScript compiled on each way in (KiB): ${Object.entries(result.compiledKiB)
        .map(([way, kib]) => `${way} ${kib}`)
        .join(', ')}`;
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log((await measureStartup()).line);
