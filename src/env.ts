import type { Context } from 'hono';
import type { AuthEnv } from './auth/authentication';
import type { Database } from './db/client';
import type { RequestSession } from './db/session';
import type { StatementGate } from './db/statement-gate';
import type { D1Cost } from './db/timing';
import type { RequestLogFields } from './lib/request-log';

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

interface Variables {
  requestId: string;
  db: Database;
  /** Which copy of D1 the request reads (src/db/session.ts). */
  d1Session: RequestSession;
  /** Holds the request's statements until the session check (src/db/statement-gate.ts). */
  statementGate: StatementGate;
  /** What the request cost D1 so far (src/db/timing.ts), for its log line and Server-Timing. */
  d1Cost: D1Cost;
  /** What the request's log line says beyond the request itself (src/lib/request-log.ts). */
  logFields: RequestLogFields;
}

export interface HonoEnv {
  Bindings: Bindings;
  Variables: Variables;
}

/**
 * The context helpers take: any route's, whatever its middleware added (a
 * route's own Context type is not assignable to the plain one, as `set` is
 * typed by the variables).
 */
export type AppContext = Context<HonoEnv> | Context<HonoEnv & AuthEnv>;
