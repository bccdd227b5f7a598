/**
 * `requireAuth` verifies the Bearer JWT and loads the caller (one D1 round
 * trip). Routes that read data can pass `{ deferred: true }` and call
 * `authorize(c, ...queries)` themselves, which runs the revocation check in
 * the same `db.batch()` as their queries. A deferred route that forgets to
 * call it fails closed.
 */
import type { BatchItem } from 'drizzle-orm/batch';
import type { Context, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import { ApiError } from '../errors';
import type { HonoEnv } from '../env';
import { checkHourly, isHourly, spendHourly, spendPerMinute, type WriteBudget } from './budgets';
import { callerQuery, toCaller, type Caller } from './caller';
import { readToken, type SessionClaims } from './jwt';

interface AuthOptions {
  /** Reachable while `mustChangePassword` is set (GET /api/user, change-password). */
  allowPasswordChange?: boolean;
  /** The handler calls `authorize()` with its own queries. */
  deferred?: boolean;
  /** The per-user write budget this route spends (src/auth/budgets.ts). */
  budget?: WriteBudget;
}

type AuthState = { claims: SessionClaims; options: AuthOptions; checked: boolean };
const STATE = new WeakMap<Context, AuthState>();

export function bearerToken(c: Context): string | null {
  const header = c.req.header('Authorization');
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match ? match[1]! : null;
}

export async function claimsFrom(c: Context<HonoEnv>, token: string | null): Promise<SessionClaims> {
  const claims = token ? await readToken(c.env.JWT_SECRET, token) : null;
  if (!claims) throw new ApiError(token ? 'invalid_token' : 'unauthorized');
  return claims;
}

export function requireAuth(options: AuthOptions = {}): MiddlewareHandler<HonoEnv> {
  return createMiddleware<HonoEnv>(async (c, next) => {
    const claims = await claimsFrom(c, bearerToken(c));
    if (options.budget && !isHourly(options.budget)) await spendPerMinute(c, options.budget, claims.sub);
    const state: AuthState = { claims, options, checked: false };
    STATE.set(c, state);
    if (!options.deferred) await authorize(c);
    await next();
    if (!state.checked && c.res.status < 400) {
      // A deferred handler answered without checking the token: never let that through.
      throw new Error('authorize() was not called by a deferred route');
    }
  });
}

/** The verified token claims (before the database check), for deferred routes. */
export function claimsOf(c: Context<HonoEnv>): SessionClaims {
  const state = STATE.get(c);
  if (!state) throw new Error('claimsOf() outside requireAuth');
  return state.claims;
}

type Results<T extends readonly BatchItem<'sqlite'>[]> = { [K in keyof T]: Awaited<T[K]> };

/**
 * A list's two branches (src/events/visibility.ts) with the token check: only
 * the branch the token's admin hint names is sent, and the other one in a
 * second trip only when the caller's row disagrees (the admin flag changed
 * since the token was issued). Without a hint both go in one batch.
 */
export async function authorizeBranch<A, M>(
  c: Context<HonoEnv>,
  asAdmin: BatchItem<'sqlite'> & PromiseLike<A>,
  asMember: BatchItem<'sqlite'> & PromiseLike<M>,
): Promise<[Caller, { admin: true; rows: A } | { admin: false; rows: M }]> {
  const hint = claimsOf(c).adm;
  if (hint === undefined) {
    const [caller, adminRows, memberRows] = await authorize(c, asAdmin, asMember);
    return [caller, caller.isAdmin ? { admin: true, rows: adminRows as A } : { admin: false, rows: memberRows as M }];
  }
  const [caller, rows] = await authorize(c, hint ? asAdmin : asMember);
  if (caller.isAdmin === hint) {
    return [caller, hint ? { admin: true, rows: rows as A } : { admin: false, rows: rows as M }];
  }
  return [caller, caller.isAdmin ? { admin: true, rows: await asAdmin } : { admin: false, rows: await asMember }];
}

/**
 * Checks the caller's token against the database (revocation, activity,
 * forced password change) in one batch with the given queries, and returns
 * their results. Sets `c.var.caller`.
 */
export async function authorize<T extends readonly BatchItem<'sqlite'>[]>(
  c: Context<HonoEnv>,
  ...queries: T
): Promise<[Caller, ...Results<T>]> {
  const state = STATE.get(c);
  if (!state) throw new Error('authorize() outside requireAuth');
  const db = c.var.db;
  const { budget } = state.options;
  // An hourly budget is spent in the same batch: it costs no round trip of its own.
  const hourly = budget && isHourly(budget) ? budget : undefined;
  const spend = hourly ? [spendHourly(db, hourly, state.claims.sub)] : [];
  const [row, ...results] = (await db.batch([callerQuery(db, state.claims.sub), ...spend, ...queries] as never)) as unknown as [
    Awaited<ReturnType<typeof callerQuery>>,
    ...unknown[],
  ];
  const caller = toCaller(row[0], state.claims.tv, state.claims.jti);
  if (!caller) throw new ApiError('invalid_token');
  if (hourly) checkHourly(hourly, (results.shift() as { used: number; windowStart: number }[])[0]);
  const rest = results as unknown as Results<T>;
  if (caller.mustChangePassword && !state.options.allowPasswordChange) {
    throw new ApiError('password_change_required', 'Change your password before using the API.');
  }
  state.checked = true;
  c.set('caller', caller);
  return [caller, ...rest] as [Caller, ...Results<T>];
}
