import type { D1Migration } from 'cloudflare:test';
import type { Secrets } from '../src/env';
import type { OriginalPasswordName } from './import/original-passwords';
import type { ReferenceHash } from './setup/reference-hashes';

declare global {
  namespace Cloudflare {
    interface Env extends Secrets {
      TEST_MIGRATIONS: D1Migration[];
      TEST_ORIGINAL_HASHES: Record<OriginalPasswordName, ReferenceHash>;
      /** An original CakePlanner database (its schema, not ours), built by the import tests. */
      ORIGINAL_DB: D1Database;
    }
  }
}
