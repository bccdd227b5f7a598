import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { aroundTrips } from '../../src/db/intercept';
import { apiRequest, type CallOptions } from './api';

/**
 * env.DB wrapped so that every trip to D1 is counted: one per batch(), one
 * per first/all/run/raw on a statement. Statements handed to batch() are
 * unwrapped and not counted again as trips, but each counts as a statement;
 * `sql` lists the text of every executed statement in order, `params` its
 * bound values (to replay a statement under EXPLAIN QUERY PLAN), `done` the
 * text of each statement sent alone once D1 answered it, in the order of the
 * answers (to tell what had finished at a given moment).
 */
export interface D1Counter {
  trips: number;
  statements: number;
  sql: string[];
  params: unknown[][];
  done: string[];
  /** What each D1 session was opened with: `first-primary`, `first-unconstrained` or a bookmark. */
  sessions: string[];
  reset(): void;
}

/** What a failing D1 answers (as the binding words it: a reason, never the parameters). */
export const D1_FAILURE = 'D1_ERROR: disk I/O error: SQLITE_IOERR';

/**
 * `failWhen`: statements whose SQL it matches fail as D1 would on a broken
 * database (a batch holding one fails whole), to replay error paths.
 */
export function countingD1(
  real: D1Database,
  failWhen: (sql: string) => boolean = () => false,
): { db: D1Database; counter: D1Counter } {
  const counter: D1Counter = {
    trips: 0,
    statements: 0,
    sql: [],
    params: [],
    done: [],
    sessions: [],
    reset() {
      this.trips = 0;
      this.statements = 0;
      this.sql = [];
      this.params = [];
      this.done = [];
      this.sessions = [];
    },
  };
  // The app's own interception (src/db/intercept.ts), with a hook that counts.
  const db = aroundTrips(real, {
    onSession: (constraint) => counter.sessions.push(constraint),
    trip: (run, { kind, statements }) => {
      counter.trips++;
      for (const { query, params } of statements) {
        counter.statements++;
        counter.sql.push(query);
        counter.params.push(params);
      }
      if (statements.some((s) => failWhen(s.query))) return Promise.reject(new Error(D1_FAILURE));
      if (kind !== 'statement') return run();
      return run().then((result) => {
        counter.done.push(statements[0]!.query);
        return result;
      });
    },
  });
  return { db, counter };
}

export type CountedOptions = Pick<CallOptions, 'token' | 'body' | 'form' | 'headers'>;

/** An answer with the D1 work that made it (see D1Counter). */
export interface CountedOutcome extends Pick<D1Counter, 'trips' | 'statements' | 'sql' | 'params' | 'sessions'> {
  status: number;
  res: Response;
  /** The body, already read. */
  text: string;
}

/**
 * Requests through the app with a counting binding: each answer carries its
 * status, body text and the D1 work it took. `failWhen` as for countingD1;
 * `env` replaces further bindings or variables (e.g. `READ_REPLICAS: 'off'`).
 */
export function countedRequests(
  app: { fetch: (req: Request, env: never, ctx: ExecutionContext) => Response | Promise<Response> },
  options: { failWhen?: (sql: string) => boolean; env?: Record<string, unknown> } = {},
) {
  const { db, counter } = countingD1(env.DB, options.failWhen);
  return async function send(method: string, path: string, request: CountedOptions = {}): Promise<CountedOutcome> {
    const ctx = createExecutionContext();
    counter.reset();
    const res = await app.fetch(apiRequest(method, path, request), { ...env, ...options.env, DB: db } as never, ctx);
    await waitOnExecutionContext(ctx);
    const text = await res.text();
    const { trips, statements, sql, params, sessions } = counter;
    return { status: res.status, trips, statements, sql: [...sql], params: [...params], sessions: [...sessions], res, text };
  };
}
