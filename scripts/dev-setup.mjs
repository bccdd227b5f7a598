// Local setup (npm start, npm run seed, the benchmarks): generate missing
// secrets and a first admin into the git-ignored secrets file (.dev.vars).
// Deployed Workers get theirs from `wrangler secret put`; nothing here runs there.
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { localConfig, readVars, shown, writeVars } from './local-env.mjs';
import './text-modules.mjs';

// Loaded after text-modules.mjs: the password policy reads its list from a text module.
const { localAdminPlan } = await import('./local-admin.mjs');

/** The Worker's keys: random, never chosen by hand (the deploy generates the same ones). */
export const SIGNING_KEYS = ['JWT_SECRET', 'PHOTO_SIGNING_KEY', 'TOTP_ENCRYPTION_KEY'];

/** 256 random bits. */
export const randomKey = () => randomBytes(32).toString('base64url');

/** 144 random bits, in characters that need no quoting in a dotenv file. */
export const randomPassword = () => randomBytes(18).toString('base64url');

export class SetupRefused extends Error {}

/**
 * Makes the secrets file complete; returns the admin `{ email, password }` and
 * whether it was generated just now. Throws SetupRefused (with the reason and
 * the fix) for values the Worker would refuse at its first request.
 */
export function setUpLocalSecrets(config = localConfig()) {
  const vars = readVars(config.devVars);
  const plan = localAdminPlan(vars, randomPassword);
  if (plan.refused) {
    throw new SetupRefused(
      `${shown(config.devVars)}: ${plan.refused}\n` +
        `Put a stronger one there, or delete the line to have a random one generated.`,
    );
  }
  const keys = Object.fromEntries(SIGNING_KEYS.filter((k) => !vars[k]).map((k) => [k, randomKey()]));
  const added = { ...keys, ...plan.generated };
  if (Object.keys(added).length > 0) writeVars(config.devVars, added);
  return {
    admin: { email: plan.email, password: plan.password },
    generated: Object.keys(added),
    adminGenerated: 'ADMIN_PASSWORD' in plan.generated,
  };
}

/** The admin's password is shown once, when it is made; afterwards only where it is kept. */
export function describeAdmin({ admin, generated, adminGenerated }, config, log = console.log) {
  const file = shown(config.devVars);
  if (generated.length > 0) log(`${file}: generated ${generated.join(', ')}`);
  if (adminGenerated) {
    const lines = [
      'Your local administrator (the password is shown only this once):',
      `  email     ${admin.email}`,
      `  password  ${admin.password}`,
      `Both are kept in ${file} as ADMIN_EMAIL and ADMIN_PASSWORD.`,
    ];
    const width = Math.max(...lines.map((l) => l.length));
    const rule = '─'.repeat(width + 2);
    log(`\n┌${rule}┐\n${lines.map((l) => `│ ${l.padEnd(width)} │`).join('\n')}\n└${rule}┘\n`);
  } else {
    log(`Local admin: ${admin.email} (password: ADMIN_PASSWORD in ${file})`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const config = localConfig();
  try {
    describeAdmin(setUpLocalSecrets(config), config);
  } catch (error) {
    if (!(error instanceof SetupRefused)) throw error;
    console.error(error.message);
    process.exitCode = 1;
  }
}
