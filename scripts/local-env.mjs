// Where the local Worker lives: its port, its state folder and its secrets
// file, shared by `npm start`, `npm run seed` and `npm run e2e` so all three
// act on the same local API. The defaults are what a newcomer gets; the
// variables let a test run a second, throwaway API beside it:
//   PORT                   port of `wrangler dev` (8787)
//   CAKE_PLANNER_STATE     local D1/R2/Durable Object state (.wrangler/state)
//   CAKE_PLANNER_DEV_VARS  local secrets file (.dev.vars)
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DEFAULT_STATE = resolve(ROOT, '.wrangler/state');
const DEFAULT_DEV_VARS = resolve(ROOT, '.dev.vars');

export function localConfig(env = process.env) {
  const port = Number(env.PORT || 8787);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`PORT must be a port number, not "${env.PORT}".`);
  return {
    port,
    stateDir: resolve(ROOT, env.CAKE_PLANNER_STATE || DEFAULT_STATE),
    devVars: resolve(ROOT, env.CAKE_PLANNER_DEV_VARS || DEFAULT_DEV_VARS),
    /** What a person types to reach it (wrangler dev listens on localhost). */
    baseUrl: `http://localhost:${port}`,
  };
}

/** A path as the person running the command would type it. */
export const shown = (path) => relative(process.cwd(), path) || '.';

/** `wrangler … --local` on the configured state; wrangler reads a non-default secrets file only when told. */
export function wranglerArgs(config) {
  const args = ['--persist-to', config.stateDir];
  return config.devVars === DEFAULT_DEV_VARS ? args : [...args, '--env-file', config.devVars];
}

/** Runs the project's wrangler on the Node running this script (npm scripts run on the pinned Node 24). */
export function wrangler(args, options = {}) {
  return execFileSync(process.execPath, [resolve(ROOT, 'node_modules/wrangler/bin/wrangler.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    ...options,
    env: { ...process.env, CI: 'true', ...options.env },
  });
}

/** Applies the pending D1 migrations to the local state; returns how many there were. */
export function applyMigrations(config) {
  const out = wrangler(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', config.stateDir]);
  return Number(/About to apply (\d+) migration/.exec(out)?.[1] ?? 0);
}

export function readVars(file) {
  return existsSync(file) ? parseEnv(readFileSync(file, 'utf8')) : {};
}

/** Sets `entries` in a dotenv file: a line already there is replaced, a new one appended. */
export function writeVars(file, entries) {
  let text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  for (const [name, value] of Object.entries(entries)) {
    const line = `${name}=${value}`;
    const existing = new RegExp(`^\\s*(export\\s+)?${name}\\s*=.*$`, 'm');
    if (existing.test(text)) text = text.replace(existing, line);
    else text += `${(text && !text.endsWith('\n') ? '\n' : '') + line}\n`;
  }
  writeFileSync(file, text, { mode: 0o600 });
}
