// The real bundle, built as `wrangler deploy` would upload it (`--dry-run`:
// no account, no network): it builds, and its size is printed. And the
// build's split: what each way into the Worker compiles.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildWorker, waysIn } from '../../scripts/build-worker.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WRANGLER = join(dirname(createRequire(import.meta.url).resolve('wrangler/package.json')), 'bin/wrangler.js');

it('wrangler deploy --dry-run builds the Worker', (t) => {
  const out = mkdtempSync(join(tmpdir(), 'bundle-'));
  try {
    const result = spawnSync(process.execPath, [WRANGLER, 'deploy', '--dry-run', '--outdir', out], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_API_TOKEN: '', CLOUDFLARE_ACCOUNT_ID: '' },
    });
    assert.equal(result.status, 0, result.stdout + result.stderr);
    const size = /Total Upload: [^\n]+/.exec(result.stdout)?.[0];
    assert.ok(size, result.stdout);
    t.diagnostic(size);
    assert.ok(existsSync(join(out, 'index.js')));
    assert.match(result.stdout, /app-\w+\.js/, 'the HTTP surface is a module of its own');
    for (const binding of ['env.DB (cake-planner)', 'env.PHOTOS (cake-planner-photos)', 'env.MAIL_QUEUE (cake-planner-mail)']) {
      assert.ok(result.stdout.includes(binding), binding);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

it('an isolate starts by compiling the entry alone; each way in compiles only its own code', async () => {
  const ways = waysIn((await buildWorker({ metafile: true })).metafile);
  const has = (way, name) => ways[way].modules.some((file) => file.split('/').pop().startsWith(`${name}-`));
  // The entry and the GroupHub class: a few KiB, never the HTTP surface (the budget is 15 ms of start-up).
  assert.ok(ways['start-up'].bytes < 16 * 1024, `start-up compiles ${ways['start-up'].bytes} bytes`);
  assert.ok(!has('start-up', 'app'));
  assert.ok(has('first request', 'app'));
  for (const later of ['writer', 'daily', 'consumer', 'dead-letters']) assert.ok(!has('first request', later), later);
  assert.ok(has('calendar feed', 'writer'));
  assert.ok(!has('mail batch', 'app') && !has('channel batch', 'app') && !has('daily run', 'app'));
});
