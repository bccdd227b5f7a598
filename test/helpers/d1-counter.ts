/**
 * env.DB wrapped so that every trip to D1 is counted: one per batch(), one
 * per first/all/run/raw on a statement. Statements handed to batch() are
 * unwrapped and not counted again as trips, but each counts as a statement;
 * `sql` lists the text of every executed statement in order.
 */
export interface D1Counter {
  trips: number;
  statements: number;
  sql: string[];
  reset(): void;
}

export function countingD1(real: D1Database): { db: D1Database; counter: D1Counter } {
  const counter: D1Counter = {
    trips: 0,
    statements: 0,
    sql: [],
    reset() {
      this.trips = 0;
      this.statements = 0;
      this.sql = [];
    },
  };
  const unwrap = new WeakMap<object, { stmt: D1PreparedStatement; query: string }>();
  const wrap = (stmt: D1PreparedStatement, query: string): D1PreparedStatement => {
    const proxy = new Proxy(stmt, {
      get(target, prop) {
        if (prop === 'bind') return (...args: unknown[]) => wrap(target.bind(...args), query);
        if (prop === 'first' || prop === 'all' || prop === 'run' || prop === 'raw') {
          return (...args: unknown[]) => {
            counter.trips++;
            counter.statements++;
            counter.sql.push(query);
            return (target[prop] as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        const value = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    unwrap.set(proxy, { stmt, query });
    return proxy;
  };
  const db = new Proxy(real, {
    get(target, prop) {
      if (prop === 'prepare') return (query: string) => wrap(target.prepare(query), query);
      if (prop === 'batch') {
        return (statements: D1PreparedStatement[]) => {
          counter.trips++;
          return target.batch(
            statements.map((s) => {
              const known = unwrap.get(s);
              counter.statements++;
              counter.sql.push(known?.query ?? '?');
              return known?.stmt ?? s;
            }),
          );
        };
      }
      if (prop === 'exec') {
        return (query: string) => {
          counter.trips++;
          counter.statements++;
          counter.sql.push(query);
          return target.exec(query);
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { db, counter };
}
