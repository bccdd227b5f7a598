import type { AppContext } from '../env';

/** The API's public origin: PUBLIC_URL when configured, else the request's own. */
export function publicUrl(c: AppContext): string {
  return (c.env.PUBLIC_URL || new URL(c.req.url).origin).replace(/\/+$/, '');
}
