// `ics` checks every event it is given against a yup schema before writing
// it. The events this Worker gives it are its own: built from stored rows
// whose dates, texts and ids were validated when they were written (zod at
// the API's edge), so the check can never fail here, and yup is ~40 KiB of
// the bundle for it. The build (scripts/build-worker.mjs; and vitest.config.ts, so the
// tests run what is deployed) sends the `yup` import of ics here: every
// schema builder answers a schema whose strict validation returns the
// candidate unchanged, as yup's own does for a valid one.

interface UncheckedSchema {
  validateSync<T>(candidate: T): T;
  [method: string]: unknown;
}

const schema: UncheckedSchema = new Proxy({} as UncheckedSchema, {
  get: (_, method) => (method === 'validateSync' ? <T>(candidate: T) => candidate : () => schema),
});

const builder = () => schema;

export const array = builder;
export const boolean = builder;
export const lazy = builder;
export const mixed = builder;
export const number = builder;
export const object = builder;
export const string = builder;
