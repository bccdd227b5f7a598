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
