// Zod's catalogue of error-message languages, cut to the one this API speaks.
// Every problem+json detail is English; the other ~45 languages are ~70 KiB
// of the gzipped bundle that no request would ever run. The build
// (scripts/build-worker.mjs) sends zod's own `../locales/index.js` import here.
export { default as en } from 'zod/v4/locales/en.js';
