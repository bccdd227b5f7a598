import { OpenAPIHono, type RouteConfig, type RouteConfigToEnv, type RouteHandler, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { HonoEnv } from '../env';
import { ApiError, invalidInput } from '../errors';
import { withGuardResponses } from './openapi';

// A missing field reads "Required" rather than zod's "expected string, received undefined".
z.config({
  customError: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? 'Required' : undefined),
});

/**
 * Validation failures become the same problem+json as every other error:
 * 400 `validation_failed` with one `{path, message}` per offending field. A
 * path parameter that fails its schema (an id over 64 characters) names
 * nothing that can exist: 404, as for an unknown id of the right shape.
 */
export const validationHook = (
  result: ({ success: true } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } }) & {
    target?: string;
  },
  _c: unknown,
) => {
  if (result.success) return;
  if (result.target === 'param') throw new ApiError('not_found', 'Nothing exists under this path.');
  throw invalidInput(
    result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.') || '(root)', message: issue.message })),
  );
};

/**
 * For a route with both path parameters and a query: the path is judged
 * first, as on every other route (an id that cannot exist is 404 whatever
 * the query says). @hono/zod-openapi validates the query before the path,
 * so the route's own middleware checks the path ahead of the validators.
 */
function pathFirst(route: RouteConfig): RouteConfig {
  const params = route.request?.params;
  if (!params || !route.request?.query) return route;
  const judgePath: MiddlewareHandler = async (c, next) => {
    if (!params.safeParse(c.req.param()).success) throw new ApiError('not_found', 'Nothing exists under this path.');
    await next();
  };
  const own = route.middleware === undefined ? [] : Array.isArray(route.middleware) ? route.middleware : [route.middleware];
  return { ...route, middleware: [...own, judgePath] };
}

/**
 * A router whose operations are named after their handlers: the handler's
 * name becomes the route's `operationId`, so one name runs from the OpenAPI
 * document (and the clients generated from it) to the code. Each operation
 * described, whether by `openapi()` or `registerPath`, also declares the
 * statuses the shared guards can answer on it.
 */
export function createRouter() {
  const router = new OpenAPIHono<HonoEnv>({ strict: false, defaultHook: validationHook });
  const register = router.openapi.bind(router);
  router.openapi = ((route: RouteConfig, handler: { name: string }, ...rest: unknown[]) =>
    (register as (...args: unknown[]) => unknown)(
      pathFirst(route.operationId || !handler.name ? route : { ...route, operationId: handler.name }),
      handler,
      ...rest,
    )) as typeof router.openapi;
  // Every path described, through `openapi()` or directly (the plain routes), passes here.
  const registry = router.openAPIRegistry;
  const registerPath = registry.registerPath.bind(registry);
  registry.registerPath = (route) => registerPath(withGuardResponses(route));
  return router;
}

/**
 * The handler of route `R` in this app (w3cj's AppRouteHandler): one name
 * instead of the generic spelled out. It sees what the route's middleware
 * adds: `c.var.auth` exists only where the route declares `authenticate()`.
 */
export type AppRouteHandler<R extends RouteConfig> = RouteHandler<R, HonoEnv & RouteConfigToEnv<R>>;
