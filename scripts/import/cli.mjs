// npm run import: the command around the importer's core (plan.ts). Order
// matters for safety: the source is opened read-only and checked before
// anything else; --remote names its database and asks before writing;
// --dry-run stops after the summary.
import { execFileSync } from 'node:child_process';
import { createInterface } from 'node:readline/promises';
import { localConfig, readVars } from '../local-env.mjs';
import { verifyPassword } from './node-argon2.mjs';
import { options, USAGE, UsageError } from './options.mjs';
import { planImport } from './plan.ts';
import { checkSource, SourceError } from './source.ts';
import { openOriginal } from './sqlite-source.mjs';
import { formatSummary, nothingNew } from './summary.ts';
import { emptyTarget, readTarget } from './target.ts';
import { uploadFolder } from './upload-folder.mjs';
import { bindings, WranglerError, wrangler } from './wrangler.mjs';
import { freshWorkDir, uploadPhotos, writeRows } from './write.mjs';

/** The local Worker's secrets file, as `npm start` reads it (CAKE_PLANNER_DEV_VARS, else .dev.vars). */
const readDevVars = () => readVars(localConfig().devVars).TOTP_ENCRYPTION_KEY?.trim() || undefined;

/** The Worker's TOTP key material: .dev.vars locally (generated as npm start does), the environment remotely. */
function totpKey(opts) {
  if (opts.remote) {
    const key = process.env.TOTP_ENCRYPTION_KEY;
    if (!key) throw new UsageError("--remote needs TOTP_ENCRYPTION_KEY in the environment (the Worker's secret of that name).");
    return key;
  }
  if (!readDevVars() && !opts.dryRun) execFileSync(process.execPath, ['scripts/dev-setup.mjs'], { stdio: 'inherit' });
  // A dry run writes nothing, so without .dev.vars there is nothing to encrypt for.
  return readDevVars() ?? crypto.randomUUID();
}

function progressLine() {
  const tty = process.stdout.isTTY;
  let last = '';
  return {
    update(text) {
      if (tty) process.stdout.write(`\r${text.padEnd(last.length)}`);
      last = text;
    },
    done() {
      if (last) process.stdout.write(tty ? '\n' : `${last}\n`);
      last = '';
    },
  };
}

async function confirmRemote(opts, plan) {
  const { database, databaseId, bucket } = bindings();
  const rows = plan.tables.reduce((n, t) => n + t.rows.length, 0);
  const what =
    `${rows.toLocaleString('en')} rows into the REMOTE D1 database "${database}"${databaseId ? ` (${databaseId})` : ''} and ` +
    `${plan.photos.length.toLocaleString('en')} photos into the REMOTE R2 bucket "${bucket}"`;
  if (opts.yes) {
    console.log(`Writing ${what}.`);
    return true;
  }
  if (!process.stdin.isTTY)
    throw new UsageError(`--remote would write ${what}: add --yes to confirm when not run interactively.`);
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  const answer = await prompt.question(`Write ${what}? Type "yes" to go on: `);
  prompt.close();
  return answer.trim().toLowerCase() === 'yes';
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

export async function main(argv) {
  const started = Date.now();
  let original;
  try {
    const opts = options(argv);
    if (opts.help) {
      console.log(USAGE);
      return 0;
    }
    original = openOriginal(opts.from);
    // Before anything else touches a database: a wrong file stops here, naming what it lacks.
    await checkSource(original.source);
    const { database, bucket } = bindings();
    const where = opts.remote ? 'REMOTE' : `local${opts.persistTo ? ` (${opts.persistTo})` : ''}`;
    console.log(
      `Import from ${opts.from}${opts.uploads ? ` and ${opts.uploads}` : ' (no photos)'} into ${where} D1 "${database}" and R2 "${bucket}"${opts.dryRun ? ' (dry run)' : ''}`,
    );

    const target = wrangler(opts);
    const totpKeys = { TOTP_ENCRYPTION_KEY: totpKey(opts) };
    const progress = progressLine();
    // A local dry run with no local state yet reads it as empty instead of creating it.
    if (!opts.remote && !opts.dryRun) await target.migrate();
    const state = target.localStateExists()
      ? await readTarget(target.query, {
          progress: (table, rows) => progress.update(`Reading what is here: ${table} ${rows.toLocaleString('en')}`),
        })
      : emptyTarget();
    progress.done();
    const read = Date.now();

    const plan = await planImport(original.source, state, {
      timeZone: opts.timeZone,
      totpKeys,
      verifyPassword,
      uploads: opts.uploads ? uploadFolder(opts.uploads) : null,
      progress: (kind, rows) => progress.update(`Reading the original: ${kind} ${rows.toLocaleString('en')}`),
    });
    progress.done();
    const planned = Date.now();
    console.log(`Read and checked in ${seconds(planned - started)} (this project's rows ${seconds(read - started)}).\n`);

    if (opts.dryRun) {
      console.log(formatSummary(plan.summary, { dryRun: true }));
      return 0;
    }
    if (opts.remote && !nothingNew(plan.summary) && !(await confirmRemote(opts, plan))) {
      console.log('Nothing written.');
      return 1;
    }

    const workDir = freshWorkDir(`${opts.persistTo ?? '.wrangler'}/tmp/import`);
    const folder = opts.uploads ? uploadFolder(opts.uploads) : null;
    if (plan.photos.length)
      await uploadPhotos(target, folder, plan.photos, { workDir, progress: (t) => progress.update(`Storing ${t}`) });
    progress.done();
    const stored = Date.now();
    const files = await writeRows(target, plan.tables, { workDir, progress: (t) => progress.update(`Writing ${t}`) });
    progress.done();
    const written = Date.now();
    console.log(
      `Done in ${seconds(written - started)}: read ${seconds(planned - started)}, photos ${seconds(stored - planned)}, ` +
        `rows ${seconds(written - stored)} (${files} SQL files).\n`,
    );
    console.log(formatSummary(plan.summary, { dryRun: false }));
    return 0;
  } catch (error) {
    if (error instanceof UsageError) console.error(`${error.message}\n\n${USAGE}`);
    else if (error instanceof SourceError || error instanceof WranglerError) console.error(`Import stopped: ${error.message}`);
    else throw error;
    return error instanceof UsageError ? 2 : 1;
  } finally {
    original?.close();
  }
}
