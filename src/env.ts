import type { Database } from './db/client';
import type { Caller } from './auth/caller';

/** Secrets are never in wrangler.toml: `wrangler secret put` or `.dev.vars`. */
export interface Secrets {
  JWT_SECRET: string;
  /** HMAC key of signed photo paths. */
  PHOTO_SIGNING_KEY: string;
  /** AES-GCM key material for TOTP secrets at rest. */
  TOTP_ENCRYPTION_KEY: string;
  /** Bootstrap of the first global admin (both or nothing). */
  ADMIN_EMAIL?: string;
  ADMIN_PASSWORD?: string;
  /** Optional Cloudflare Images binding for photo variants. */
  IMAGES?: ImagesBinding;
}

export type Bindings = Env & Secrets;

export interface Variables {
  requestId: string;
  db: Database;
  /** Set by `requireAuth`: the verified, unrevoked caller. */
  caller: Caller;
}

export interface HonoEnv {
  Bindings: Bindings;
  Variables: Variables;
}
