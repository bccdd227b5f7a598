import pkg from '../../../package.json';
import wranglerConfig from '../../../wrangler.toml';
import type { AppRouteHandler } from '../../lib/create-router';
import { publicUrl } from '../../lib/public-url';
import type * as routes from './system.routes';

// wrangler.toml is the one source of the compatibility date (bundled as text, src/ has no copy to drift).
const COMPATIBILITY_DATE = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(wranglerConfig)?.[1] ?? 'unknown';

/**
 * The queue producer bindings wrangler.toml declares (the mail queue, and
 * whatever else it names): each must be bound. A queue cannot be probed
 * without sending to it, so its check is the binding's presence.
 */
const QUEUE_BINDINGS = [...wranglerConfig.matchAll(/^\[\[queues\.producers\]\][^[]*?^binding\s*=\s*"([^"]+)"/gms)].map(
  (m) => m[1]!,
);

/** A dependency that has not answered by then counts as down: a healthcheck must answer, not hang. */
const PROBE_TIMEOUT_MS = 2_000;

async function probe(check: () => Promise<unknown>): Promise<'ok' | 'fail'> {
  let timer: number | null = null;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), PROBE_TIMEOUT_MS);
  });
  try {
    await Promise.race([check(), timeout]);
    return 'ok';
  } catch {
    return 'fail';
  } finally {
    clearTimeout(timer);
  }
}

export const healthcheck: AppRouteHandler<typeof routes.healthcheck> = async (c) => {
  const [d1, r2] = await Promise.all([
    probe(() => c.env.DB.prepare('select 1').first()),
    probe(() => c.env.PHOTOS.head('healthcheck')),
  ]);
  const bindings = c.env as unknown as Record<string, { send?: unknown } | undefined>;
  const queues = QUEUE_BINDINGS.every((name) => typeof bindings[name]?.send === 'function') ? 'ok' : 'fail';
  const status = d1 === 'ok' && r2 === 'ok' && queues === 'ok' ? 'ok' : 'fail';
  c.header('Cache-Control', 'no-store');
  const body = { status, checks: { d1, r2, queues }, version: pkg.version } as const;
  return status === 'ok' ? c.json(body, 200) : c.json(body, 503);
};

export const sysinfo: AppRouteHandler<typeof routes.sysinfo> = async (c) => {
  await c.var.auth.check();
  return c.json(
    {
      project_name: 'cake-planner',
      prog_longname: 'Cake Planner',
      description: pkg.description,
      version: pkg.version,
      homepage: 'https://github.com/cake-planner/cake-planner',
      author: 'Cake Planner team',
      license: pkg.license,
      created_year: '2026',
      organization: 'Cake Planner',
      domain: new URL(publicUrl(c)).host,
      runtime: 'Cloudflare Workers (workerd)',
      compatibility_date: COMPATIBILITY_DATE,
      commit: c.env.COMMIT_SHA || 'dev',
      build_date: c.env.BUILD_DATE || '',
    },
    200,
  );
};

export const ping: AppRouteHandler<typeof routes.ping> = (c) => c.json({ pong: true as const }, 200);
