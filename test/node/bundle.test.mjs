// The real bundle, built as `wrangler deploy` would upload it (`--dry-run`:
// no account, no network): it builds, and its size is printed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';

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
    for (const binding of ['env.DB (cake-planner)', 'env.PHOTOS (cake-planner-photos)', 'env.MAIL_QUEUE (cake-planner-mail)']) {
      assert.ok(result.stdout.includes(binding), binding);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
