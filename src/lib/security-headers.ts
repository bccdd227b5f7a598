/** Response headers: JSON and images need no active content; the docs page loads its renderer from this Worker only. */
import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { DOCS_CSP, DOCS_PATH } from '../docs/page';

const apiHeaders = secureHeaders({
  contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  crossOriginResourcePolicy: 'cross-origin',
});
const docsHeaders = secureHeaders({ contentSecurityPolicy: DOCS_CSP });
const isDocs = (path: string) => path === DOCS_PATH || path.startsWith(`${DOCS_PATH}/`);

export const securityHeaders: MiddlewareHandler = (c, next) => (isDocs(c.req.path) ? docsHeaders : apiHeaders)(c, next);
