import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

export default defineConfig(async () => {
  const migrations = await readD1Migrations('./drizzle');
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: './wrangler.toml' },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            JWT_SECRET: 'test-jwt-secret-not-for-production-0123456789',
            PHOTO_SIGNING_KEY: 'test-photo-signing-key-0123456789',
            TOTP_ENCRYPTION_KEY: 'test-totp-encryption-key-0123456789',
            ADMIN_EMAIL: 'root@cake.test',
            ADMIN_PASSWORD: 'Root-Password-For-Tests-1',
            PUBLIC_URL: 'https://cake.test',
          },
        },
      }),
    ],
    test: {
      setupFiles: ['./test/setup/apply-migrations.ts'],
      testTimeout: 30_000,
      // `ics` reaches CommonJS modules by named import (yup → property-expr), which
      // workerd's module loader rejects; bundling it for the test runtime fixes the interop.
      deps: { optimizer: { ssr: { enabled: true, include: ['ics'] } } },
    },
  };
});
