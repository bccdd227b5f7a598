import { describe, expect, it } from 'vitest';
import { call, json } from '../helpers/api';

describe('API documentation', () => {
  it('serves an OpenAPI 3.1 document generated from the route schemas', async () => {
    const doc = await json(call('GET', '/api/openapi.json'), 200);
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBe('Cake Planner API');
    expect(doc.paths['/api/system/healthcheck'].get).toBeDefined();
    expect(doc.paths['/api/auth/login'].post.requestBody.content['application/json'].schema).toBeDefined();
    expect(doc.paths['/api/login'].post).toBeDefined();
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.components.schemas.Problem).toBeDefined();
  });

  it('names every operation after its handler, once, and says which ones are public', async () => {
    const doc = await json(call('GET', '/api/openapi.json'), 200);
    const operations = Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({ where: `${method.toUpperCase()} ${path}`, ...op })),
    );
    const ids = operations.map((o) => o.operationId);
    expect(operations.filter((o) => !o.operationId).map((o) => o.where)).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    const byId = Object.fromEntries(operations.map((o) => [o.operationId, o]));
    expect(byId.postRating?.where).toBe('POST /api/events/{id}/rate');
    expect(byId.postLogin.security).toEqual([]);
    expect(byId.serveFeed.security).toEqual([]);
    expect(byId.postRating.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.components.schemas.User.properties.createdAt.format).toBe('date-time');
  });

  it('documents every list as a page: limit with its default and maximum, cursor, and the Link header', async () => {
    const doc = await json(call('GET', '/api/openapi.json'), 200);
    const lists: [string, number, number][] = [
      ['/api/events', 1000, 1000],
      ['/api/events/ranked', 20, 100],
      ['/api/users', 1000, 1000],
      ['/api/admin/users', 1000, 1000],
      ['/api/admin/groups', 1000, 1000],
    ];
    for (const [path, byDefault, max] of lists) {
      const op = doc.paths[path].get;
      const limit = op.parameters.find((p: any) => p.name === 'limit');
      expect(limit.schema, path).toMatchObject({ default: byDefault, maximum: max });
      expect(op.parameters.some((p: any) => p.name === 'cursor'), path).toBe(true);
      expect(op.responses['200'].headers.Link, path).toBeDefined();
    }
  });

  it('documents the read-your-writes bookmark on every operation that touches D1', async () => {
    const doc = await json(call('GET', '/api/openapi.json'), 200);
    expect(doc.components.headers.D1Bookmark).toBeDefined();
    expect(doc.components.parameters.D1Bookmark).toMatchObject({ name: 'X-D1-Bookmark', in: 'header' });
    const operations: [string, string][] = [['/api/events', 'get'], ['/api/events', 'post'], ['/api/admin/users', 'get'], ['/api/auth/login', 'post']];
    for (const [path, method] of operations) {
      const op = doc.paths[path][method];
      expect(op.parameters, path).toContainEqual({ $ref: '#/components/parameters/D1Bookmark' });
      expect(Object.values(op.responses).every((r: any) => r.headers?.['X-D1-Bookmark']), path).toBe(true);
    }
    expect(doc.paths['/api/system/ping'].get.parameters ?? []).not.toContainEqual({ $ref: '#/components/parameters/D1Bookmark' });
  });

  it('renders the document in a browser page', async () => {
    const res = await call('GET', '/api/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('/api/openapi.json');
  });
});

describe('admin routes in the OpenAPI document', () => {
  it('documents every admin route with bearer auth and its problem responses', async () => {
    const doc = await (await call('GET', '/api/openapi.json')).json<any>();
    const expected: [string, string, string[]][] = [
      ['get', '/api/admin/users', ['200', '401', '403']],
      ['put', '/api/admin/users/{id}/status', ['200', '400', '401', '403', '404', '409']],
      ['delete', '/api/admin/users/{id}', ['200', '401', '403', '404', '409']],
      ['post', '/api/admin/users/assign-group', ['200', '400', '401', '403', '404']],
      ['post', '/api/admin/users/force-password-change', ['200', '400', '401', '403', '404']],
      ['post', '/api/admin/users/{id}/reset-2fa', ['200', '401', '403', '404', '409']],
      ['get', '/api/admin/groups', ['200', '401', '403']],
      ['post', '/api/admin/groups', ['201', '400', '401', '403', '409']],
      ['delete', '/api/admin/groups/{id}', ['200', '401', '403', '404']],
      ['delete', '/api/admin/groups/{id}/members/{userId}', ['200', '401', '403', '404']],
      ['post', '/api/admin/groups/set-role', ['200', '400', '401', '403', '404']],
    ];
    for (const [method, path, statuses] of expected) {
      const op = doc.paths[path]?.[method];
      expect(op, `${method} ${path}`).toBeDefined();
      expect(op.tags).toEqual(['Admin']);
      expect(op.security).toEqual([{ bearerAuth: [] }]);
      expect(Object.keys(op.responses).sort()).toEqual(statuses);
    }
  });
});
