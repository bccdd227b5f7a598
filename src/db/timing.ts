/**
 * Opt-in (`SERVER_TIMING = "on"`) measurement of what a request cost D1:
 * the binding is wrapped so every statement's `meta.duration` and
 * `meta.rows_read` are summed, and the response carries them as
 * `Server-Timing: d1;dur=…;desc="… statements, … rows read"`. The benchmark
 * reads it; it stays off by default because rows read can hint at how much
 * data the caller cannot see.
 */
export interface D1Cost {
  trips: number;
  statements: number;
  durationMs: number;
  rowsRead: number;
}

type Meta = { duration?: number; rows_read?: number };

export function measuredD1(real: D1Database): { db: D1Database; cost: D1Cost } {
  const cost: D1Cost = { trips: 0, statements: 0, durationMs: 0, rowsRead: 0 };
  const add = (result: unknown) => {
    const meta = (result as { meta?: Meta } | null)?.meta;
    cost.statements++;
    cost.durationMs += meta?.duration ?? 0;
    cost.rowsRead += meta?.rows_read ?? 0;
    return result;
  };
  const unwrap = new WeakMap<object, D1PreparedStatement>();
  const wrap = (stmt: D1PreparedStatement): D1PreparedStatement => {
    const proxy = new Proxy(stmt, {
      get(target, prop) {
        if (prop === 'bind') return (...args: unknown[]) => wrap(target.bind(...args));
        if (prop === 'all' || prop === 'run') {
          return async () => {
            cost.trips++;
            return add(await target[prop]());
          };
        }
        // raw() and first() report no meta: counted as trips and statements, their cost unknown.
        if (prop === 'raw' || prop === 'first') {
          return async (...args: unknown[]) => {
            cost.trips++;
            cost.statements++;
            return (target[prop] as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        const value = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    unwrap.set(proxy, stmt);
    return proxy;
  };
  const db = new Proxy(real, {
    get(target, prop) {
      if (prop === 'prepare') return (query: string) => wrap(target.prepare(query));
      if (prop === 'batch') {
        return async (statements: D1PreparedStatement[]) => {
          cost.trips++;
          const results = await target.batch(statements.map((s) => unwrap.get(s) ?? s));
          results.forEach(add);
          return results;
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { db, cost };
}

export const serverTiming = (cost: D1Cost) =>
  `d1;dur=${cost.durationMs.toFixed(3)};desc="${cost.trips} trips, ${cost.statements} statements, ${cost.rowsRead} rows read"`;
