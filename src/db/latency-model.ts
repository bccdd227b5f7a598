/**
 * Benchmark only (`D1_LATENCY_MODEL = "primary=150,replica=5"`): every D1
 * round trip of a request waits that many milliseconds first, by where its
 * session starts, to model a far primary and a near replica on a machine
 * where both are local. Off (empty) everywhere else.
 */
export function latencyOf(model: string | undefined, primary: boolean): number {
  const match = /^primary=(\d{1,4}),replica=(\d{1,4})$/.exec(model ?? '');
  return match ? Number(primary ? match[1] : match[2]) : 0;
}

export function delayedD1(real: D1Database, ms: number): D1Database {
  const wait = () => new Promise((resolve) => setTimeout(resolve, ms));
  const unwrapped = new WeakMap<object, D1PreparedStatement>();
  const wrap = (stmt: D1PreparedStatement): D1PreparedStatement => {
    const proxy = new Proxy(stmt, {
      get(target, prop) {
        if (prop === 'bind') return (...args: unknown[]) => wrap(target.bind(...args));
        const value = Reflect.get(target, prop, target);
        if (['all', 'run', 'raw', 'first'].includes(String(prop)) && typeof value === 'function') {
          return async (...args: unknown[]) => (await wait(), value.apply(target, args));
        }
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    unwrapped.set(proxy, stmt);
    return proxy;
  };
  return new Proxy(real, {
    get(target, prop) {
      if (prop === 'prepare') return (query: string) => wrap(target.prepare(query));
      if (prop === 'batch') {
        return async (statements: D1PreparedStatement[]) => {
          await wait();
          return target.batch(statements.map((s) => unwrapped.get(s) ?? s));
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
