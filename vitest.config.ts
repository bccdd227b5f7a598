import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { configDefaults, defineConfig } from 'vitest/config';
import { referenceHashes } from './test/setup/reference-hashes.ts';

export default defineConfig(async () => {
  const [migrations, originalHashes] = await Promise.all([readD1Migrations('./drizzle'), referenceHashes()]);
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: './wrangler.toml' },
        // The tests run the source; wrangler.toml's main is the build of it (scripts/build-worker.mjs).
        main: './src/index.ts',
        miniflare: {
          // The import tests build an original CakePlanner database here (test/import/fixture.ts).
          d1Databases: ['ORIGINAL_DB'],
          // Outbound HTTP (channel deliveries) reaches a local receiver, never the internet (test/setup/receiver.mjs).
          outboundService: 'channel-receiver',
          workers: [
            {
              name: 'channel-receiver',
              modules: true,
              scriptPath: './test/setup/receiver.mjs',
              compatibilityDate: '2026-11-01',
            },
          ],
          bindings: {
            TEST_MIGRATIONS: migrations,
            TEST_ORIGINAL_HASHES: originalHashes,
            JWT_SECRET: 'test-jwt-secret-not-for-production-0123456789',
            PHOTO_SIGNING_KEY: 'test-photo-signing-key-0123456789',
            TOTP_ENCRYPTION_KEY: 'test-totp-encryption-key-0123456789',
            ADMIN_EMAIL: 'root@cake.test',
            ADMIN_PASSWORD: 'Root-Password-For-Tests-1',
            PUBLIC_URL: 'https://cake.test',
            // Streams re-check their session this often here, so revocation tests need not wait 45 s.
            LIVE_SESSION_CHECK_MS: '300',
            // The suite makes thousands of requests, each with an info line (src/lib/request-log.ts):
            // they stay in the Worker, and test/helpers/logs.ts turns them on where a test reads them.
            LOG_LEVEL: 'warn',
          },
        },
      }),
    ],
    // The build's stand-in for yup (scripts/build-worker.mjs), so the calendar tests run the ics the Worker deploys (src/ics/unchecked-yup.ts).
    resolve: { alias: [{ find: /^yup$/, replacement: `${process.cwd()}/src/ics/unchecked-yup.ts` }] },
    test: {
      // test/node runs in Node (npm run test:node): the deploy script, the workflows, the bundle.
      exclude: [...configDefaults.exclude, 'test/node/**'],
      setupFiles: ['./test/setup/apply-migrations.ts', './test/setup/d1-parameter-limit.ts'],
      testTimeout: 30_000,
      // `ics` reaches CommonJS modules by named import (yup → property-expr), which
      // workerd's module loader rejects; bundling it for the test runtime fixes the interop.
      deps: { optimizer: { ssr: { enabled: true, include: ['ics'] } } },
    },
  };
});
