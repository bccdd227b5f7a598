// Builds the Worker into build/ as separate ES modules, one per way in:
// the entry (src/index.ts with the GroupHub class), the HTTP surface
// (src/app.ts), the mail and channel consumers, the daily run and the
// calendar writer, each a chunk loaded by the `import()` that reaches it,
// and the code they share in shared chunks. workerd compiles a module when
// it is first imported, so an isolate parses only what it runs: start-up
// parses the entry alone, a group's hub never parses the HTTP surface, and
// a queue batch or the daily run parse only their own code.
//
// wrangler.toml runs this as its [build] command (npm start, deploy,
// `wrangler check startup`) and uploads build/ as it is (no_bundle).
// build/index.d.ts, kept in git, gives the built entry the source's types.
// The options are wrangler's own bundling's (target, conditions, the
// NODE_ENV define), plus `splitting`, which wrangler does not offer.
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = resolve(root, 'build');

// Files of zod and ics that no request runs, replaced by small stand-ins.
// Each key is the exact import of one file of that package, and nothing else.
const STAND_INS = {
  zod: {
    // Zod's language catalogue, cut to English (src/lib/zod-locales.ts).
    '../locales/index.js': 'src/lib/zod-locales.ts',
    // Its JSON Schema reader and its schema compiler (they throw if called).
    './from-json-schema.js': 'src/lib/zod-from-json-schema.ts',
    './compile.js': 'src/lib/zod-compile.ts',
  },
  // ics's check of the Worker's own events (src/ics/unchecked-yup.ts).
  ics: { yup: 'src/ics/unchecked-yup.ts' },
};

// esbuild asks the plugin only about these exact imports; the importer's package is checked below.
const standInImports = Object.values(STAND_INS).flatMap((files) => Object.keys(files));
const literally = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const standInFilter = new RegExp(`^(${standInImports.map(literally).join('|')})$`);

const standIns = {
  name: 'stand-ins',
  setup(build) {
    build.onResolve({ filter: standInFilter }, (args) => {
      for (const [pkg, files] of Object.entries(STAND_INS)) {
        if (files[args.path] && args.importer.includes(`/node_modules/${pkg}/`)) {
          return { path: resolve(root, files[args.path]) };
        }
      }
      return undefined;
    });
  },
};

// WebAssembly (argon2id) and text files (the common-password list,
// wrangler.toml) stay modules of their own, as wrangler's rules make them:
// copied to build/data and imported from there.
const dataModules = {
  name: 'data-modules',
  setup(build) {
    build.onResolve({ filter: /\.(wasm|txt|toml)$/ }, (args) => {
      const file = resolve(args.resolveDir, args.path);
      mkdirSync(resolve(outdir, 'data'), { recursive: true });
      copyFileSync(file, resolve(outdir, 'data', basename(file)));
      return { path: `./data/${basename(file)}`, external: true };
    });
  },
};

export async function buildWorker({ metafile = false } = {}) {
  mkdirSync(outdir, { recursive: true });
  for (const file of readdirSync(outdir)) if (file !== 'index.d.ts') rmSync(resolve(outdir, file), { recursive: true });
  return esbuild.build({
    absWorkingDir: root,
    entryPoints: ['src/index.ts'],
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    // Chunks sit beside the entry, so the data modules' `./data/name` imports resolve from each.
    chunkNames: '[name]-[hash]',
    target: 'es2024',
    conditions: ['workerd', 'worker', 'browser'],
    define: { 'process.env.NODE_ENV': '"production"' },
    external: ['cloudflare:*', 'node:*'],
    minify: true,
    keepNames: true,
    sourcemap: 'linked',
    legalComments: 'none',
    plugins: [standIns, dataModules],
    metafile,
    logLevel: 'warning',
  });
}

// What each way into the Worker compiles, from the build's metafile: the
// modules it imports, followed through static imports only (a dynamic
// `import()` is a later step of its own). Sizes are the built JavaScript's.
const WAYS_IN = {
  'start-up': [],
  'first request': ['src/app.ts'],
  'calendar feed': ['src/app.ts', 'src/ics/writer.ts'],
  'mail batch': ['src/mail/dead-letters.ts', 'src/mail/consumer.ts'],
  'channel batch': ['src/mail/dead-letters.ts', 'src/channels/consumer.ts'],
  'daily run': ['src/jobs/daily.ts'],
};

export function waysIn(metafile) {
  const outputs = Object.entries(metafile.outputs).filter(([file]) => file.endsWith('.js'));
  const byEntry = new Map(outputs.map(([file, out]) => [out.entryPoint, file]));
  const closure = (file, seen) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const i of metafile.outputs[file].imports)
      if (i.kind === 'import-statement' && metafile.outputs[i.path]) closure(i.path, seen);
  };
  return Object.fromEntries(
    Object.entries(WAYS_IN).map(([way, entries]) => {
      const seen = new Set();
      for (const entry of ['src/index.ts', ...entries]) closure(byEntry.get(entry), seen);
      const bytes = [...seen].reduce((sum, file) => sum + metafile.outputs[file].bytes, 0);
      return [way, { modules: [...seen], bytes }];
    }),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await buildWorker();
