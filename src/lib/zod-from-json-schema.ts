// Zod's `fromJSONSchema` (a JSON Schema read back into zod schemas), cut:
// this API only ever goes from zod to documents, and the reader is ~12 KiB
// of the bundle. wrangler.toml's [alias] sends zod's own
// `./from-json-schema.js` import here when bundling.
export function fromJSONSchema(): never {
  throw new Error('fromJSONSchema is not part of this build');
}
