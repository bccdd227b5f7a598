/** The OpenAPI document at GET /api/openapi.json: built from the routes, plus what plain routes and the whole API declare. */
import type { OpenAPIHono } from '@hono/zod-openapi';
import pkg from '../../package.json';
import type { HonoEnv } from '../env';
import { withBookmarks, withPublicOperations } from './openapi-bookmarks';

export function serveOpenApiDocument(router: OpenAPIHono<HonoEnv>) {
  router.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  // The two documentation routes are plain Hono routes: described here (the guards' statuses are added as for every route).
  router.openAPIRegistry.registerPath({
    method: 'get',
    path: '/api/openapi.json',
    operationId: 'getOpenApiDocument',
    tags: ['System'],
    summary: 'This OpenAPI 3.1 document',
    security: [],
    responses: {
      200: { description: 'The document', content: { 'application/json': { schema: { type: 'object' } } } },
    },
  });
  router.openAPIRegistry.registerPath({
    method: 'get',
    path: '/api/docs',
    operationId: 'getDocsPage',
    tags: ['System'],
    summary: 'The interactive API documentation (served with its assets by this Worker)',
    security: [],
    responses: {
      200: { description: 'The docs page', content: { 'text/html': { schema: { type: 'string' } } } },
    },
  });
  const document = () => ({
    openapi: '3.1.0' as const,
    info: {
      title: 'Cake Planner API',
      version: pkg.version,
      description:
        'Plan who brings the cake, rate it afterwards, keep a Hall of Fame. ' +
        'Errors are RFC 9457 problem details (application/problem+json) with a stable `code`. ' +
        'JSON bodies are UTF-8: invalid bytes are 400 `validation_failed`. A path with an empty segment ' +
        '(`//`, a trailing `/`) or a dot segment (`.`, `..`, `%2e`) names no route: 404.\n\n' +
        'On the docs page: sign in with **POST /api/auth/login** ("Try it out"); the returned token then ' +
        'authorizes every other call (or paste a token into **Authorize**).',
      // A private project: no licence is granted (package.json: UNLICENSED). SPDX has no identifier
      // for that; `LicenseRef-` names a licence of one's own, here these terms (README, "Licence").
      license: { name: 'Proprietary (UNLICENSED): all rights reserved', identifier: 'LicenseRef-Proprietary' },
    },
    // Relative: the API is wherever this document was fetched from.
    servers: [{ url: '/', description: 'This Worker' }],
  });
  // Built from the routes, then every D1-touching operation gets the bookmark parameter and header.
  router.get('/api/openapi.json', (c) => c.json(withPublicOperations(withBookmarks(router.getOpenAPI31Document(document())))));
}
