/**
 * A D1 binding (or session) with a hook around every round trip: one per
 * batch(), one per all/run/raw/first on a statement. Statements handed to
 * batch() are passed through unwrapped, so the binding underneath sees its
 * own. The Server-Timing measurement is one (and the
 * benchmark's latency model, bench/latency-worker.ts).
 */
export type TripHook = <T>(run: () => Promise<T>, kind: 'batch' | 'statement') => Promise<T>;

const STATEMENT_TRIPS = new Set<PropertyKey>(['all', 'run', 'raw', 'first']);

export function aroundTrips(real: D1Database, trip: TripHook): D1Database {
  const unwrapped = new WeakMap<object, D1PreparedStatement>();
  const wrap = (stmt: D1PreparedStatement): D1PreparedStatement => {
    const proxy = new Proxy(stmt, {
      get(target, prop) {
        if (prop === 'bind') return (...args: unknown[]) => wrap(target.bind(...args));
        const value = Reflect.get(target, prop, target);
        if (typeof value !== 'function') return value;
        if (STATEMENT_TRIPS.has(prop)) return (...args: unknown[]) => trip(() => value.apply(target, args), 'statement');
        return value.bind(target);
      },
    });
    unwrapped.set(proxy, stmt);
    return proxy;
  };
  return new Proxy(real, {
    get(target, prop) {
      if (prop === 'prepare') return (query: string) => wrap(target.prepare(query));
      if (prop === 'batch') {
        return (statements: D1PreparedStatement[]) =>
          trip(() => target.batch(statements.map((s) => unwrapped.get(s) ?? s)), 'batch');
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
