/**
 * The one way a route authenticates: `middleware: authenticate({...})` puts
 * an `Authentication` in `c.var.auth`, and the handler gets its caller from
 * `c.var.auth.check(...)`, which sends the session check (revocation,
 * activity, forced password change, the route's budget and rule) in the same
 * `db.batch()` as the handler's own queries. Those queries are written
 * against the session's user id, which is only handed to the callback: a
 * handler that skips the check has neither a caller nor a user id to work
 * with. As a last net, a handler that answers without checking fails closed.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppContext, HonoEnv } from '../env';
import { ApiError } from '../errors';
import type { AuthEnv, Authentication, Query, Results } from './authentication';
import { checkHourly, isHourly, spendHourly, spendPerMinute, type WriteBudget } from './budgets';
import { type Caller, callerQuery, sessionMayAct, toCaller } from './caller';
import { readToken, type Session } from './jwt';

/** A "who may" rule of src/policy: throws the refusal, or returns for a caller who may. */
type Rule = (caller: Caller) => void;

/** Where a request's session comes from: the Bearer token, or another credential (a stream ticket). */
export type CredentialSource = (c: AppContext) => Promise<Session>;

export interface AuthOptions {
  /** Who may use the route at all (src/policy), applied as soon as the caller is known. */
  admits?: Rule;
  /**
   * Check the session (and the rule) in the middleware, before the route reads
   * its input: for writes whose refusal must not depend on the body. The
   * handler's later `check()` then costs no round trip of its own.
   */
  upfront?: boolean;
  /** Reachable while `mustChangePassword` is set (GET /api/user, change-password). */
  allowPasswordChange?: boolean;
  /**
   * The per-user write budget this route spends (src/auth/budgets.ts), once
   * the session passes its check: statements sent along with that check run
   * whether or not the budget is left, so they must not be the route's write.
   */
  budget?: WriteBudget;
  /** By default the Bearer token. */
  credentials?: CredentialSource;
  /**
   * A read that must see the primary's latest write (who is an admin, who is
   * active): it starts its D1 session on the primary, as every write does.
   */
  primary?: boolean;
}

export function bearerToken(c: Context): string | null {
  const header = c.req.header('Authorization');
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match ? match[1]! : null;
}

/** The session a Bearer token stands for: 401 `unauthorized` without one, `invalid_token` for a bad one. */
export async function sessionOfToken(c: AppContext, token: string | null): Promise<Session> {
  const session = token ? await readToken(c.env.JWT_SECRET, token) : null;
  if (!session) throw new ApiError(token ? 'invalid_token' : 'unauthorized');
  return session;
}

const bearerCredentials: CredentialSource = (c) => sessionOfToken(c, bearerToken(c));

export function authenticate(options: AuthOptions = {}): MiddlewareHandler<HonoEnv & AuthEnv> {
  return createMiddleware<HonoEnv & AuthEnv>(async (c, next) => {
    if (options.primary) c.var.d1Session.usePrimary();
    const session = await (options.credentials ?? bearerCredentials)(c);
    const logFields = c.get('logFields');
    if (logFields) logFields.userId = session.userId;
    // From here on, nothing reaches D1 before the session check.
    c.var.statementGate.close();
    const auth = new SessionCheck(c, session, options);
    c.set('auth', auth);
    if (options.upfront) await auth.check();
    await next();
    if (!auth.checked && c.res.status < 400) {
      // A handler answered without checking the session: never let that through.
      throw new Error('the handler answered without c.var.auth.check()');
    }
  });
}

class SessionCheck implements Authentication {
  #caller: Caller | undefined;

  constructor(
    private readonly c: AppContext,
    private readonly session: Session,
    private readonly options: AuthOptions,
  ) {}

  get checked(): boolean {
    return this.#caller !== undefined;
  }

  check(): Promise<[Caller]>;
  check<T extends readonly Query<unknown>[]>(queries: (userId: string) => readonly [...T]): Promise<[Caller, ...Results<T>]>;
  async check(queries?: (userId: string) => readonly Query<unknown>[]): Promise<[Caller, ...unknown[]]> {
    return this.#send(queries?.(this.session.userId) ?? []);
  }

  /** The session check and `queries` in one batch; once checked, only the queries. */
  async #send(queries: readonly Query<unknown>[]): Promise<[Caller, ...unknown[]]> {
    const db = this.c.var.db;
    if (this.#caller) {
      return [this.#caller, ...(queries.length ? await db.batch(queries as never) : [])];
    }
    const { budget, allowPasswordChange } = this.options;
    // An hourly budget is spent in the same batch: it costs no round trip of
    // its own, and is spent only if the session passes the check it rides with.
    const hourly = budget && isHourly(budget) ? budget : undefined;
    const spend = hourly ? [spendHourly(db, hourly, this.session.userId, sessionMayAct(this.session, allowPasswordChange))] : [];
    const gate = this.c.var.statementGate;
    const [row, ...results] = (await gate.pass(() =>
      db.batch([callerQuery(db, this.session.userId), ...spend, ...queries] as never),
    )) as unknown as [Awaited<ReturnType<typeof callerQuery>>, ...unknown[]];
    const caller = toCaller(row[0], this.session);
    if (!caller) throw new ApiError('invalid_token');
    if (hourly) checkHourly(hourly, (results.shift() as { used: number; windowStart: number }[])[0]);
    if (caller.mustChangePassword && !this.options.allowPasswordChange) {
      throw new ApiError('password_change_required', 'Change your password before using the API.');
    }
    this.options.admits?.(caller);
    // A per-minute budget is spent once the session has passed: a revoked token spends nothing of its owner's.
    if (budget && !isHourly(budget)) await spendPerMinute(this.c, budget, caller.id);
    this.#caller = caller;
    gate.open();
    return [caller, ...results];
  }
}
