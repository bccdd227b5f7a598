// Zod's ahead-of-time schema compiler (`z.compile`, and what `import
// "zod/compile"` installs), cut: this API parses with zod's runtime parser
// and never compiles, and the compiler is ~31 KiB of the bundle.
// The build (scripts/build-worker.mjs) sends zod's own `./compile.js` import
// (in zod/v4/core/index.js, its only importer) here; the names
// it re-exports stay, so a call fails loudly instead of the build.
function cut(): never {
  throw new Error('z.compile is not part of this build');
}

export const INVALID = Symbol.for('zod.compile.invalid');

export class ZodCompileAsyncError extends Error {}

export class ZodCompileUnsupportedError extends Error {}

export function compile(): never {
  cut();
}

export function compileFn(): never {
  cut();
}

export function withParser(): never {
  cut();
}
