// The command line of npm run import, read and checked before anything is
// opened: a wrong option stops here with the usage.
import { existsSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { isValidTimeZone } from '../../src/lib/time.ts';
import { localConfig } from '../local-env.mjs';

export const USAGE = `Usage: npm run import -- --from <cakeplanner.sqlite> --uploads <data/uploads> [options]

  --from FILE        the original server's SQLite database (opened read-only)
  --uploads DIR      its upload folder (data/uploads)
  --local            write into the local state that npm start serves (default)
  --remote           write into the deployed D1 database and R2 bucket (asks first)
  --yes              do not ask before writing remotely
  --dry-run          read and check everything, print the summary, write nothing
  --skip-photos      import no photos (no upload folder needed)
  --time-zone TZ     IANA time zone name of the imported groups (default Europe/Berlin; no offsets like +01:00)
  --persist-to DIR   local state folder (default: the one npm start serves, CAKE_PLANNER_STATE or .wrangler/state)

--remote needs TOTP_ENCRYPTION_KEY in the environment: the value the Worker has
as its secret of that name, so imported 2FA secrets are encrypted with it.`;

export class UsageError extends Error {}

export function options(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      from: { type: 'string' },
      uploads: { type: 'string' },
      local: { type: 'boolean', default: false },
      remote: { type: 'boolean', default: false },
      yes: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      'skip-photos': { type: 'boolean', default: false },
      'time-zone': { type: 'string', default: 'Europe/Berlin' },
      'persist-to': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  return checkOptions(values);
}

/** The parsed options (as parseArgs gives them, defaults filled in), checked and named for the command. */
export function checkOptions(values) {
  if (values.help) return { help: true };
  if (!values.from) throw new UsageError('--from is required: the original database file.');
  if (values.local && values.remote) throw new UsageError('Use --local or --remote, not both.');
  if (values.remote && values['persist-to']) throw new UsageError('--persist-to is for local state only.');
  if (!isValidTimeZone(values['time-zone'])) {
    throw new UsageError(`--time-zone: ${values['time-zone']} is no IANA time zone name (such as Europe/Berlin or UTC).`);
  }
  if (!values['skip-photos']) {
    if (!values.uploads) throw new UsageError("--uploads is required (the original's data/uploads folder), or --skip-photos.");
    if (!existsSync(values.uploads) || !statSync(values.uploads).isDirectory()) {
      throw new UsageError(`--uploads: ${values.uploads} is not a folder (use --skip-photos to import without photos).`);
    }
  }
  return {
    from: values.from,
    uploads: values['skip-photos'] ? null : values.uploads,
    remote: values.remote,
    yes: values.yes,
    dryRun: values['dry-run'],
    timeZone: values['time-zone'],
    // The state `npm start` serves (CAKE_PLANNER_STATE, else .wrangler/state) unless told otherwise.
    persistTo: values.remote ? undefined : (values['persist-to'] ?? localConfig().stateDir),
  };
}
