// This project's D1 and R2 through wrangler, with the bindings of
// wrangler.toml: locally (the state `npm start` serves, or --persist-to) or
// remotely. One wrangler process per SQL file, query page or batch of
// photos, never one per row.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
// Its own bin script, run with this Node (24): no npx round trip per call.
const WRANGLER = join(dirname(createRequire(import.meta.url).resolve('wrangler/package.json')), 'bin/wrangler.js');

/** The D1 database and R2 bucket the Worker is bound to (DB and PHOTOS). */
export function bindings(configPath = 'wrangler.toml') {
  const toml = readFileSync(configPath, 'utf8');
  const value = (block, key) => new RegExp(`\\[\\[${block}\\]\\][^[]*?${key}\\s*=\\s*"([^"]*)"`, 's').exec(toml)?.[1];
  return {
    database: value('d1_databases', 'database_name'),
    databaseId: value('d1_databases', 'database_id'),
    bucket: value('r2_buckets', 'bucket_name'),
  };
}

export class WranglerError extends Error {}

export function wrangler({ remote, persistTo }) {
  const where = remote ? ['--remote'] : ['--local', ...(persistTo ? ['--persist-to', persistTo] : [])];
  const { bucket } = bindings();

  async function call(args) {
    try {
      const { stdout } = await run(process.execPath, [WRANGLER, ...args, ...where], {
        env: { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false' },
        maxBuffer: 1 << 30,
      });
      return stdout;
    } catch (error) {
      const output = `${error.stdout ?? ''}\n${error.stderr ?? ''}`;
      const message =
        /"text":\s*"([^"]+)"/.exec(output)?.[1] ?? output.split('\n').find((l) => /ERROR|✘/.test(l)) ?? error.message;
      throw new WranglerError(`wrangler ${args.slice(0, 3).join(' ')}: ${message.trim()}`);
    }
  }

  return {
    /** The local D1 state exists at all (a dry run must not create it). */
    localStateExists: () => remote || existsSync(`${persistTo ?? '.wrangler/state'}/v3/d1`),
    migrate: () => call(['d1', 'migrations', 'apply', 'DB']),
    /** The rows of each SELECT, all in one call (its results come back statement by statement). */
    async query(statements) {
      const out = await call(['d1', 'execute', 'DB', '--json', '--command', statements.join(';\n')]);
      return JSON.parse(out.slice(out.indexOf('['))).map((result) => result.results);
    },
    executeFile: (file) => call(['d1', 'execute', 'DB', '--yes', '--file', file]),
    /** `manifest`: a JSON file of [{ key, file }], all of one content type. */
    putPhotos: (manifest, contentType) =>
      call([
        'r2',
        'bulk',
        'put',
        bucket,
        '--filename',
        manifest,
        '--content-type',
        contentType,
        '--concurrency',
        '8',
        ...(remote ? ['--force'] : []),
      ]),
  };
}
