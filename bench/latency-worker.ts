/**
 * The Worker as `npm run bench -- --replicas` runs it: the same app, with
 * every D1 round trip of a request first waiting as long as the latency
 * model (`--var D1_LATENCY_MODEL:primary=150,replica=5`) says for where its
 * session starts, to model a far primary and a near replica on a machine
 * where both are local. Kept out of src/: production never pays for it.
 */

import { aroundTrips } from '../src/db/intercept';
import type { Bindings } from '../src/env';
import worker from '../src/index';
import type { OutgoingMail } from '../src/mail';

export { GroupHub } from '../src/index';

export function latencyOf(model: string | undefined): { primary: number; replica: number } {
  const match = /^primary=(\d{1,4}),replica=(\d{1,4})$/.exec(model ?? '');
  return match ? { primary: Number(match[1]), replica: Number(match[2]) } : { primary: 0, replica: 0 };
}

const delayed = <T extends object>(real: T, ms: number): T =>
  aroundTrips(real as unknown as D1Database, async (run) => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return run();
  }) as unknown as T;

/** D1 whose sessions wait by their start: `first-primary` as far as the primary, any other as the replica. */
function modelledD1(real: D1Database, model: string | undefined): D1Database {
  const { primary, replica } = latencyOf(model);
  return new Proxy(real, {
    get(target, prop) {
      if (prop === 'withSession') {
        return (start?: string) => delayed(target.withSession(start), start === 'first-primary' ? primary : replica);
      }
      if (prop === 'prepare' || prop === 'batch') return Reflect.get(delayed(target, primary), prop);
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

export default {
  ...worker,
  fetch(request, env, ctx) {
    const model = (env as unknown as { D1_LATENCY_MODEL?: string }).D1_LATENCY_MODEL;
    return worker.fetch(request, { ...env, DB: modelledD1(env.DB, model) }, ctx);
  },
} satisfies ExportedHandler<Bindings, OutgoingMail>;
