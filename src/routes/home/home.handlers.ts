import pkg from '../../../package.json';
import { DOCS_PATH } from '../../docs/page';
import type { AppRouteHandler } from '../../lib/create-router';
import type * as routes from './home.routes';

const INDEX = {
  name: 'Cake Planner API',
  version: pkg.version,
  description: pkg.description,
  links: { docs: DOCS_PATH, openapi: '/api/openapi.json', healthcheck: '/api/system/healthcheck' },
};

/** Whoever asks for HTML is a person at a browser: the docs page is what they came for. */
const wantsHtml = (accept: string | undefined) => /(^|,)\s*text\/html\s*(;|,|$)/i.test(accept ?? '');

export const getApiIndex: AppRouteHandler<typeof routes.getApiIndex> = async (c) => {
  // The answer depends on Accept: caches must keep the two apart.
  c.header('Vary', 'Accept');
  if (wantsHtml(c.req.header('Accept'))) return c.redirect(DOCS_PATH, 302);
  return c.json(INDEX, 200);
};
