import { OpenAPIHono, z, type RouteConfig, type RouteConfigToEnv, type RouteHandler } from '@hono/zod-openapi';
import type { HonoEnv } from '../env';
import { invalidInput } from '../errors';

// A missing field reads "Required" rather than zod's "expected string, received undefined".
z.config({
  customError: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? 'Required' : undefined),
});

/**
 * Validation failures become the same problem+json as every other error:
 * 400 `validation_failed` with one `{path, message}` per offending field.
 */
export const validationHook = (
  result: { success: true } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } },
  _c: unknown,
) => {
  if (result.success) return;
  throw invalidInput(
    result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.') || '(root)', message: issue.message })),
  );
};

/**
 * A router whose operations are named after their handlers: the handler's
 * name becomes the route's `operationId`, so one name runs from the OpenAPI
 * document (and the clients generated from it) to the code.
 */
export function createRouter() {
  const router = new OpenAPIHono<HonoEnv>({ strict: false, defaultHook: validationHook });
  const register = router.openapi.bind(router);
  router.openapi = ((route: { operationId?: string }, handler: { name: string }, ...rest: unknown[]) =>
    (register as (...args: unknown[]) => unknown)(
      route.operationId || !handler.name ? route : { ...route, operationId: handler.name },
      handler,
      ...rest,
    )) as typeof router.openapi;
  return router;
}

/**
 * The handler of route `R` in this app (w3cj's AppRouteHandler): one name
 * instead of the generic spelled out. It sees what the route's middleware
 * adds: `c.var.auth` exists only where the route declares `authenticate()`.
 */
export type AppRouteHandler<R extends RouteConfig> = RouteHandler<R, HonoEnv & RouteConfigToEnv<R>>;
