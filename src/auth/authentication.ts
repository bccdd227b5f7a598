/**
 * What `authenticate()` (src/auth/authenticate.ts) gives an authenticated
 * route: `c.var.auth`, whose `check()` is the only way to the caller.
 */
import type { BatchItem } from 'drizzle-orm/batch';
import type { Caller } from './caller';

export type Results<T extends readonly unknown[]> = { [K in keyof T]: Awaited<T[K]> };
export type Query<R> = BatchItem<'sqlite'> & PromiseLike<R>;

export interface Authentication {
  /** The caller, checked in one batch with `queries` (built for the session's user id), and their results. */
  check(): Promise<[Caller]>;
  check<T extends readonly Query<unknown>[]>(queries: (userId: string) => readonly [...T]): Promise<[Caller, ...Results<T>]>;
}

/** The variables of a route that declares `authenticate()`. */
export interface AuthEnv {
  Variables: { auth: Authentication };
}
