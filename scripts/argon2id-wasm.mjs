// Writes src/auth/argon2id/*.wasm: the `argon2id` package's two wasm modules
// with one change, the minimum size of the memory they import. The package
// declares 1040 pages (65 MiB), so any memory handed to them reserves that
// much on the first hash, whatever the hash needs; with a minimum of one page
// src/auth/password.ts gives them a memory sized to the hash. Nothing else
// in the modules changes (the minimum is rewritten in place, same length).
//
//   node scripts/argon2id-wasm.mjs          after upgrading argon2id
//   node scripts/argon2id-wasm.mjs --check  fails if the files are stale
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const MODULES = ['simd.wasm', 'no-simd.wasm'];
const MINIMUM_PAGES = 1;
const target = (name) => new URL(`../src/auth/argon2id/${name}`, import.meta.url);

/** Reads an unsigned LEB128 at `at`: its value and its length in bytes. */
function leb(bytes, at) {
  let value = 0;
  let length = 0;
  let byte;
  do {
    byte = bytes[at + length];
    value += (byte & 0x7f) * 2 ** (7 * length);
    length++;
  } while (byte & 0x80);
  return { value, length };
}

/** `value` as an unsigned LEB128 of exactly `length` bytes (padded, which wasm allows). */
function paddedLeb(value, length) {
  const out = [];
  for (let i = 0; i < length; i++) {
    out.push((value & 0x7f) | (i < length - 1 ? 0x80 : 0));
    value >>>= 7;
  }
  if (value) throw new Error('value does not fit');
  return out;
}

/** The module with its imported memory's minimum set to MINIMUM_PAGES. */
function sized(original) {
  const bytes = Uint8Array.from(original);
  const text = (at, length) => new TextDecoder().decode(bytes.subarray(at, at + length));
  let at = 8; // magic and version
  while (at < bytes.length) {
    const id = bytes[at];
    const size = leb(bytes, at + 1);
    const start = at + 1 + size.length;
    if (id === 2) {
      let p = start;
      const count = leb(bytes, p);
      p += count.length;
      // The memory is the module's one import: the first entry is it, or the module is not the one expected.
      if (count.value > 0) {
        const module = leb(bytes, p);
        const moduleName = text(p + module.length, module.value);
        p += module.length + module.value;
        const field = leb(bytes, p);
        const fieldName = text(p + field.length, field.value);
        p += field.length + field.value;
        const kind = bytes[p++];
        if (kind !== 2) throw new Error(`unexpected import ${moduleName}.${fieldName} of kind ${kind}`);
        const _flags = bytes[p++];
        const minimum = leb(bytes, p);
        bytes.set(paddedLeb(MINIMUM_PAGES, minimum.length), p);
        return bytes;
      }
    }
    at = start + size.value;
  }
  throw new Error('no imported memory');
}

const check = process.argv.includes('--check');
let stale = false;
for (const name of MODULES) {
  const wanted = sized(readFileSync(require.resolve(`argon2id/dist/${name}`)));
  new WebAssembly.Module(wanted); // still a valid module
  if (check) {
    let current;
    try {
      current = readFileSync(target(name));
    } catch {
      current = Buffer.alloc(0);
    }
    if (!Buffer.from(wanted).equals(current)) {
      console.error(
        `src/auth/argon2id/${name} is not the package's module with a one-page minimum: run node scripts/argon2id-wasm.mjs`,
      );
      stale = true;
    }
  } else {
    writeFileSync(target(name), wanted);
    console.log(`src/auth/argon2id/${name}`);
  }
}
if (stale) process.exit(1);
