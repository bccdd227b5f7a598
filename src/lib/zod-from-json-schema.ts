// Zod's `fromJSONSchema` (a JSON Schema read back into zod schemas), cut:
// this API only ever goes from zod to documents, and the reader is ~12 KiB
// of the bundle. The build (scripts/build-worker.mjs) sends zod's own
// `./from-json-schema.js` import here.
export function fromJSONSchema(): never {
  throw new Error('fromJSONSchema is not part of this build');
}
