// workerd (nodejs_compat) offers node:fs on its own file system, /tmp writable; Worker code has no
// Node typings here, so the few functions the tests use to lay out an upload folder are declared.
declare module 'node:fs' {
  export function mkdirSync(path: string): void;
  export function writeFileSync(path: string, data: string | Uint8Array): void;
  export function symlinkSync(target: string, path: string): void;
}

// vitest.config.ts itself runs in Node: the one `process` function it uses.
declare const process: { cwd(): string };
