import { env } from 'cloudflare:workers';
import { D1_MAX_PARAMETERS } from '../../src/db/parameter-limit';

/**
 * D1 binds at most 100 parameters per statement (src/db/parameter-limit.ts);
 * local D1 binds any number, so a statement that grows with the data would
 * pass here and fail in production. Every statement of this isolate (the app's, its Durable
 * Objects', the tests' own) is a D1PreparedStatement of one class: its
 * `bind` is guarded once, for the whole suite.
 */
const guarded = Symbol.for('cake-planner.d1-parameter-limit');
const statementClass = Object.getPrototypeOf(env.DB.prepare('select 1')) as D1PreparedStatement & { [guarded]?: true };
if (!statementClass[guarded]) {
  const bind = statementClass.bind;
  Object.defineProperty(statementClass, 'bind', {
    configurable: true,
    writable: true,
    value(this: D1PreparedStatement, ...values: unknown[]) {
      if (values.length > D1_MAX_PARAMETERS) {
        throw new Error(`D1 binds at most ${D1_MAX_PARAMETERS} parameters per statement; this one has ${values.length}`);
      }
      return bind.apply(this, values);
    },
  });
  statementClass[guarded] = true;
}
