/** No route matched: 405 with `Allow` when the path answers other methods, else 404. Both as problem+json. */
import type { Context } from 'hono';
import { ApiError, problemResponse } from '../errors';

export function notFoundFor(routes: { method: string; path: string }[]) {
  const allowedMethods = methodIndex(routes);
  return (c: Context) => {
    const methods = allowedMethods(c.req.path);
    if (methods.length > 0) {
      return problemResponse(
        c,
        new ApiError('method_not_allowed', `${c.req.method} is not allowed here.`, {
          headers: { Allow: methods.join(', ') },
        }),
      );
    }
    return problemResponse(c, new ApiError('not_found', `No route for ${c.req.method} ${c.req.path}.`));
  };
}

/** For 405: which methods a path would answer to. */
function methodIndex(routes: { method: string; path: string }[]) {
  let compiled: { method: string; pattern: RegExp }[] | undefined;
  return (path: string): string[] => {
    compiled ??= routes
      .filter((r) => r.method !== 'ALL' && !r.path.includes('*'))
      .map((r) => ({
        method: r.method,
        pattern: new RegExp(
          `^${r.path.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\\\{(\w+)\\\}|:(\w+)(\\\{[^}]*\\\})?/g, '[^/]+')}/?$`,
        ),
      }));
    return [...new Set(compiled.filter((r) => r.pattern.test(path)).map((r) => r.method))];
  };
}
