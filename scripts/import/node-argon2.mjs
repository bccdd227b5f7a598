// Argon2id verification in Node for the default-admin check: the same wasm
// package and the same PHC rules (src/auth/phc.ts) as the Worker's login.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import setupWasm from 'argon2id/lib/setup.js';
import { verifyWith } from '../../src/auth/phc.ts';

const require = createRequire(import.meta.url);
const wasm = (file) => async (imports) =>
  WebAssembly.instantiate(readFileSync(require.resolve(`argon2id/dist/${file}`)), imports);
let compute;

export async function verifyPassword(phc, password) {
  compute ??= await setupWasm(wasm('simd.wasm'), wasm('no-simd.wasm'));
  return verifyWith(compute, phc, password);
}
