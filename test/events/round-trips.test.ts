import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { BASE, call, groupWith, json } from '../helpers/api';
import { createEvent, dayIn, seedRatings, uploadPhoto } from '../helpers/events';

/**
 * env.DB wrapped so that every trip to D1 is counted: one per batch(), one
 * per first/all/run/raw on a statement. Statements handed to batch() are
 * unwrapped and not counted again.
 */
function countingDb(real: D1Database) {
  const counter = { trips: 0 };
  const unwrap = new WeakMap<object, D1PreparedStatement>();
  const wrap = (stmt: D1PreparedStatement): D1PreparedStatement => {
    const proxy = new Proxy(stmt, {
      get(target, prop) {
        if (prop === 'bind') return (...args: unknown[]) => wrap(target.bind(...args));
        if (prop === 'first' || prop === 'all' || prop === 'run' || prop === 'raw') {
          return (...args: unknown[]) => {
            counter.trips++;
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
        return (statements: D1PreparedStatement[]) => {
          counter.trips++;
          return target.batch(statements.map((s) => unwrap.get(s) ?? s));
        };
      }
      if (prop === 'exec') {
        return (query: string) => {
          counter.trips++;
          return target.exec(query);
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { db, counter };
}

describe('D1 round trips per request', () => {
  it('GET /api/events, /api/events/{id} and /api/events/ranked cost one each', async () => {
    const { group, users } = await groupWith(3);
    const [anna, ben, cara] = users as [any, any, any];
    const events = [];
    for (let i = 1; i <= 4; i++) events.push(await createEvent(users[i % 3]!, { date: dayIn(-i) }));
    for (const e of events) {
      await seedRatings(group.id, e.id, [4, 5]);
      await json(call('POST', `/api/events/${e.id}/rate`, { token: e.bakerId === anna.id ? ben.token : anna.token, body: { stars: 3 } }), 200);
      await json(uploadPhoto(cara, e.id), 201);
      if (e.bakerId !== ben.id) await json(uploadPhoto(ben, e.id), 201);
    }

    const app = createApp();
    const { db, counter } = countingDb(env.DB);
    const fetchCounted = async (path: string) => {
      const ctx = createExecutionContext();
      const res = await app.fetch(
        new Request(`${BASE}${path}`, { headers: { Authorization: `Bearer ${anna.token}` } }),
        { ...env, DB: db },
        ctx,
      );
      await waitOnExecutionContext(ctx);
      return res;
    };
    // The first request of an app may run the one-time admin bootstrap.
    await fetchCounted('/api/system/healthcheck');

    const paths = [
      `/api/events?start=${dayIn(-10)}&end=${dayIn(10)}`,
      `/api/events/${events[0].id}`,
      '/api/events/ranked',
    ];
    // Calendars: the event download, the feed URL (once it exists) and the feed itself.
    const { url: feedUrl } = await json(call('GET', '/api/user/calendar', { token: anna.token }), 200);
    for (const path of [`/api/events/${events[0].id}/ics`, '/api/user/calendar', new URL(feedUrl).pathname]) {
      counter.trips = 0;
      const res = await fetchCounted(path);
      expect(res.status, path).toBe(200);
      await res.arrayBuffer();
      expect(counter.trips, path).toBe(1);
    }

    for (const path of paths) {
      counter.trips = 0;
      const res = await fetchCounted(path);
      expect(res.status, path).toBe(200);
      const body = await res.json<any>();
      const items = Array.isArray(body) ? body : [body];
      expect(items.length).toBeGreaterThan(0);
      expect(items.every((e: any) => e.gallery.length >= 1 && e.rating.count === 3)).toBe(true);
      expect(counter.trips, path).toBe(1);
    }
  });
});
