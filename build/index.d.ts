// The types of the built entry: scripts/build-worker.mjs builds build/index.js
// from src/index.ts, and wrangler.toml's `main` names the built file, so
// worker-configuration.d.ts reaches the Durable Object classes through here.
export * from '../src/index';
export { default } from '../src/index';
