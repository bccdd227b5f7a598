// npm run import -- --from <cakeplanner.sqlite> --uploads <data/uploads> [--local | --remote]
//   [--dry-run] [--yes] [--skip-photos] [--time-zone <IANA>] [--persist-to <dir>]
// Moves the data of an original CakePlanner server into this project's D1
// and R2 (see README, "Moving in from the original CakePlanner server").
//
// The importer's core is TypeScript shared with the Worker's modules
// (scripts/import/*.ts, src/**); Node 24 (the project's pinned node) runs it
// with type stripping. The Worker's sources import each other without a file
// extension, as bundlers resolve them, so this hook adds `.ts` where Node
// would otherwise find nothing; text-modules.mjs loads `*.txt` modules (the
// common-password list) as the Worker's bundler does.
import { registerHooks } from 'node:module';
import './text-modules.mjs';

registerHooks({
  resolve(specifier, context, next) {
    try {
      return next(specifier, context);
    } catch (error) {
      const relative = /^\.\.?\//.test(specifier) && !/\.[cm]?[jt]s$/.test(specifier);
      if (error?.code === 'ERR_MODULE_NOT_FOUND' && relative) return next(`${specifier}.ts`, context);
      throw error;
    }
  },
});

const { main } = await import('./import/cli.mjs');
process.exitCode = await main(process.argv.slice(2));
