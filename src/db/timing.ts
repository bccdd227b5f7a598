/**
 * What a request cost D1: the binding is wrapped so every statement's
 * `meta.duration` and `meta.rows_read` are summed (no extra round trip: the
 * numbers come with each result). Every request's log line carries the
 * trips and rows read (src/lib/request-log.ts); with `SERVER_TIMING = "on"`
 * the response carries them too, as `Server-Timing: d1;dur=…;desc="…
 * statements, … rows read"`. The benchmark reads that; it stays off by
 * default because rows read can hint at how much data the caller cannot see.
 */
import { aroundTrips } from './intercept';

export interface D1Cost {
  trips: number;
  statements: number;
  durationMs: number;
  rowsRead: number;
}

type Meta = { duration?: number; rows_read?: number };

export function measuredD1(real: D1Database): { db: D1Database; cost: D1Cost } {
  const cost: D1Cost = { trips: 0, statements: 0, durationMs: 0, rowsRead: 0 };
  // raw() and first() report no meta: counted as statements, their cost unknown.
  const add = (result: unknown) => {
    const meta = (result as { meta?: Meta } | null)?.meta;
    cost.statements++;
    cost.durationMs += meta?.duration ?? 0;
    cost.rowsRead += meta?.rows_read ?? 0;
  };
  const db = aroundTrips(real, async (run, trip) => {
    cost.trips++;
    const result = await run();
    if (trip.kind === 'batch') (result as unknown[]).forEach(add);
    else add(result);
    return result;
  });
  return { db, cost };
}

export const serverTiming = (cost: D1Cost) =>
  `d1;dur=${cost.durationMs.toFixed(3)};desc="${cost.trips} trips, ${cost.statements} statements, ${cost.rowsRead} rows read"`;
