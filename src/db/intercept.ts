/**
 * A D1 binding (or session) with a hook around every round trip: one per
 * batch(), one per all/run/raw/first on a statement, one per exec(). The
 * hook sees each trip's statements (SQL and bound values) and decides
 * whether and when it runs. Sessions opened on a wrapped binding
 * (`withSession`) are wrapped the same way, and `onSession` hears what each
 * was opened with. Statements handed to batch() are passed through
 * unwrapped, so the binding underneath sees its own.
 *
 * The one interception of D1 in the project: Server-Timing
 * (src/db/timing.ts), the statement gate (src/db/statement-gate.ts), the
 * benchmark's latency model (bench/latency-worker.ts) and the tests' D1
 * counter (test/helpers/d1-counter.ts) are each a hook.
 */
interface Statement {
  query: string;
  params: unknown[];
}

interface Trip {
  kind: 'batch' | 'statement' | 'exec';
  statements: Statement[];
}

export type TripHook = <T>(run: () => Promise<T>, trip: Trip) => Promise<T>;

export interface Interception {
  trip: TripHook;
  /** A session was opened on the binding, with `constraint` (`first-unconstrained` when none was given). */
  onSession?: (constraint: string) => void;
}

const STATEMENT_TRIPS = new Set<PropertyKey>(['all', 'run', 'raw', 'first']);

export function aroundTrips(real: D1Database, hook: TripHook | Interception): D1Database {
  const { trip, onSession } = typeof hook === 'function' ? { trip: hook, onSession: undefined } : hook;
  const known = new WeakMap<object, { stmt: D1PreparedStatement } & Statement>();
  const wrap = (stmt: D1PreparedStatement, query: string, params: unknown[]): D1PreparedStatement => {
    const proxy = new Proxy(stmt, {
      get(target, prop) {
        if (prop === 'bind') return (...args: unknown[]) => wrap(target.bind(...args), query, args);
        const value = Reflect.get(target, prop, target);
        if (typeof value !== 'function') return value;
        if (STATEMENT_TRIPS.has(prop)) {
          return (...args: unknown[]) =>
            trip(() => value.apply(target, args), { kind: 'statement', statements: [{ query, params }] });
        }
        return value.bind(target);
      },
    });
    known.set(proxy, { stmt, query, params });
    return proxy;
  };
  const around = <B extends object>(binding: B): B =>
    new Proxy(binding, {
      get(target, prop) {
        const t = target as unknown as D1Database & D1DatabaseSession;
        if (prop === 'prepare') return (query: string) => wrap(t.prepare(query), query, []);
        if (prop === 'batch') {
          return (statements: D1PreparedStatement[]) => {
            const parts = statements.map((s) => known.get(s) ?? { stmt: s, query: '?', params: [] });
            return trip(() => t.batch(parts.map((p) => p.stmt)), {
              kind: 'batch',
              statements: parts.map(({ query, params }) => ({ query, params })),
            });
          };
        }
        if (prop === 'exec')
          return (query: string) => trip(() => t.exec(query), { kind: 'exec', statements: [{ query, params: [] }] });
        if (prop === 'withSession') {
          return (constraint?: string) => {
            onSession?.(constraint ?? 'first-unconstrained');
            return around(t.withSession(constraint));
          };
        }
        const value = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  return around(real);
}
