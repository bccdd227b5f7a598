/**
 * Which copy of D1 a request reads (D1 read replication, Sessions API).
 *
 * Writes start on the primary (`first-primary`), and so do the reads whose
 * route declares `authenticate({ primary: true })` (the admin lists, the
 * live stream, the own profile), so a revoked, deactivated or deleted token
 * can never write, administer or open a stream. Other reads
 * start on the nearest replica: one at least as new as the client's
 * bookmark when it sent one, else any (`first-unconstrained`). The price is
 * that a token revoked on the primary may still read through a lagging
 * replica until the replica catches up (docs/sessions-and-replicas.md);
 * `READ_REPLICAS = "off"` puts every request on the primary.
 *
 * Read-your-writes: every response whose request touched D1 carries the
 * session's bookmark in `X-D1-Bookmark` and in a short-lived cookie that the
 * unmodified web app sends back on its same-origin calls.
 */
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';

/** What a session needs of the request: its headers, cookies and the D1 binding. */
type SessionEnv = { Bindings: Pick<Env, 'DB' | 'READ_REPLICAS'> };

const BOOKMARK_HEADER = 'X-D1-Bookmark';
const BOOKMARK_COOKIE = 'cake_d1_bookmark';
/** Long enough for the replica a client reads next to catch up with its write. */
const BOOKMARK_COOKIE_SECONDS = 60;

/** D1 bookmarks are hyphenated hex groups; anything else is ignored, never sent to D1. */
const BOOKMARK_PATTERN = /^[0-9a-f]{8}(?:-[0-9a-f]{8,64}){1,5}$/i;

const validBookmark = (value: string | undefined | null): string | null =>
  value && value.length <= 256 && BOOKMARK_PATTERN.test(value) ? value : null;

/** Bookmarks sort lexicographically: the newer of two. */
const newerBookmark = (a: string | null, b: string | null): string | null => (!a ? b : !b ? a : a > b ? a : b);

export interface RequestSession {
  /** What the session was opened with: `first-primary`, `first-unconstrained` or the client's bookmark. */
  constraint: string;
  /** The client's bookmark, when it sent a valid one. */
  sent: string | null;
  db: D1Database;
  bookmark(): string | null;
  /** The route reads what must be the primary's latest (revocation, the last-admin guard): before its first statement. */
  usePrimary(): void;
}

/**
 * The request's session. A bookmark that D1 refuses (a foreign or stale one
 * that still looks well formed) is dropped and the statement retried once
 * on `first-unconstrained`.
 */
export function openSession<E extends SessionEnv>(c: Context<E>): RequestSession {
  const sent = validBookmark(c.req.header(BOOKMARK_HEADER) ?? getCookie(c, BOOKMARK_COOKIE));
  const writes = c.req.method !== 'GET' && c.req.method !== 'HEAD';
  const primary = (c.env.READ_REPLICAS as string) === 'off' || writes;
  let constraint = primary ? 'first-primary' : (sent ?? 'first-unconstrained');
  // Opened on first use: a request that reads nothing opens none, and a
  // binding that fails does so where its caller can answer for it (503).
  let session: D1DatabaseSession | undefined;
  const open = (start: string) => (session = c.env.DB.withSession(start));
  let retryable = !primary && sent !== null;

  const retry = async <T>(run: (s: D1DatabaseSession) => Promise<T>): Promise<T> => {
    try {
      return await run(session ?? open(constraint));
    } catch (error) {
      if (!retryable || !/bookmark/i.test(String((error as Error)?.message ?? error))) throw error;
      retryable = false;
      return run(open('first-unconstrained'));
    }
  };
  return {
    get constraint() {
      return constraint;
    },
    sent,
    db: retryingDatabase(retry),
    bookmark: () => session?.getBookmark() ?? null,
    usePrimary() {
      if (constraint === 'first-primary') return;
      // A session opened on a replica before the route ran (the admin bootstrap) is left behind.
      constraint = 'first-primary';
      retryable = false;
      session = undefined;
    },
  };
}

type Retry = <T>(run: (s: D1DatabaseSession) => Promise<T>) => Promise<T>;

/**
 * A D1Database-shaped view of the session whose statements remember their SQL
 * and bindings, so a retry can prepare them again on a fresh session.
 */
function retryingDatabase(retry: Retry): D1Database {
  const recipes = new WeakMap<object, { query: string; params: unknown[] }>();
  const statement = (query: string, params: unknown[]): D1PreparedStatement => {
    const build = (s: D1DatabaseSession) => s.prepare(query).bind(...params);
    const stmt = {
      bind: (...values: unknown[]) => statement(query, values),
      first: (column?: string) => retry((s) => (column === undefined ? build(s).first() : build(s).first(column))),
      run: () => retry((s) => build(s).run()),
      all: () => retry((s) => build(s).all()),
      raw: (options?: { columnNames: true }) => retry((s) => (options ? build(s).raw(options) : build(s).raw())),
    } as unknown as D1PreparedStatement;
    recipes.set(stmt, { query, params });
    return stmt;
  };
  return {
    prepare: (query: string) => statement(query, []),
    batch: (statements: D1PreparedStatement[]) =>
      retry((s) =>
        s.batch(
          statements.map((st) => {
            const recipe = recipes.get(st);
            if (!recipe) throw new Error('batch() takes statements of this session');
            return s.prepare(recipe.query).bind(...recipe.params);
          }),
        ),
      ),
    exec: () => Promise.reject(new Error('exec() is not available on a D1 session')),
    withSession: () => {
      throw new Error('already a session');
    },
  } as unknown as D1Database;
}

/** After the handler: the newest bookmark the client has seen, as header and cookie. */
export function handBackBookmark<E extends SessionEnv>(c: Context<E>, session: RequestSession): void {
  // Only a request that touched D1 has a bookmark of its own.
  const own = session.bookmark();
  if (!own) return;
  const latest = newerBookmark(validBookmark(own), session.sent);
  if (!latest) return;
  try {
    c.res.headers.set(BOOKMARK_HEADER, latest);
    setCookie(c, BOOKMARK_COOKIE, latest, {
      httpOnly: true,
      secure: true,
      sameSite: 'Lax',
      path: '/api',
      maxAge: BOOKMARK_COOKIE_SECONDS,
    });
  } catch {
    // A response with immutable headers (a proxied stream): it carries no bookmark.
  }
}
