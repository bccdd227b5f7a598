/**
 * Response headers: JSON and images need no active content, so every
 * response forbids it, except under the one path given its own policy (the
 * docs page, which loads its renderer from this Worker only: src/docs/page.ts).
 */
import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

type ContentSecurityPolicy = NonNullable<NonNullable<Parameters<typeof secureHeaders>[0]>['contentSecurityPolicy']>;

export function securityHeaders(page: { path: string; policy: ContentSecurityPolicy }): MiddlewareHandler {
  const apiHeaders = secureHeaders({
    contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    crossOriginResourcePolicy: 'cross-origin',
  });
  const pageHeaders = secureHeaders({ contentSecurityPolicy: page.policy });
  const onPage = (path: string) => path === page.path || path.startsWith(`${page.path}/`);
  return (c, next) => (onPage(c.req.path) ? pageHeaders : apiHeaders)(c, next);
}
