declare module 'argon2id/lib/setup.js' {
  export interface Argon2idParams {
    password: Uint8Array;
    salt: Uint8Array;
    parallelism: number;
    passes: number;
    memorySize: number;
    tagLength: number;
  }
  type Loader = (imports: WebAssembly.Imports) => Promise<{ instance: WebAssembly.Instance }>;
  export default function setupWasm(simd: Loader, noSimd: Loader): Promise<(params: Argon2idParams) => Uint8Array>;
}

declare module 'argon2id/lib/argon2id.js' {
  import type { Argon2idParams } from 'argon2id/lib/setup.js';
  /** One hash on an instance of the package's wasm and the memory it was given. */
  export default function argon2id(
    params: Argon2idParams,
    wasm: { instance: WebAssembly.Instance; memory: WebAssembly.Memory },
  ): Uint8Array;
}
