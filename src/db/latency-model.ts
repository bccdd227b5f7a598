import { aroundTrips } from './intercept';

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
  return aroundTrips(real, async (run) => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return run();
  });
}
