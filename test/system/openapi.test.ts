import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/errors';
import { adminToken, call, expectProblem, json } from '../helpers/api';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

describe('API documentation', () => {
  it('serves an OpenAPI 3.1 document generated from the route schemas', async () => {
    const doc = await json(call('GET', '/api/openapi.json'), 200);
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBe('Cake Planner API');
    const health = doc.paths['/api/system/healthcheck'].get;
    expect(health).toMatchObject({ operationId: 'healthcheck', tags: ['System'], security: [] });
    expect(Object.keys(health.responses).sort()).toEqual(['200', '413', '503']);
    for (const status of ['200', '503'])
      expect(health.responses[status].content['application/json'].schema).toEqual(ref('Health'));
    expect(doc.components.schemas.Health).toMatchObject({
      properties: { status: { enum: ['ok', 'fail'] }, checks: { required: ['d1', 'r2', 'queues'] }, version: { type: 'string' } },
      required: ['status', 'checks', 'version'],
    });

    const login = doc.paths['/api/auth/login'].post;
    expect(login).toMatchObject({ operationId: 'login', tags: ['Auth'], security: [] });
    expect(login.requestBody.content['application/json'].schema).toEqual(ref('LoginRequest'));
    expect(doc.components.schemas.LoginRequest).toMatchObject({
      properties: {
        email: { type: 'string', maxLength: 254 },
        password: { type: 'string', minLength: 1, maxLength: 1024 },
        code: { type: 'string' },
      },
      required: ['email', 'password'],
    });
    expect(login.responses['200'].content['application/json'].schema).toEqual({
      anyOf: [ref('LoginResult'), ref('TwoFactorRequired')],
    });
    expect(Object.keys(login.responses).sort()).toEqual(['200', '400', '401', '403', '413', '415', '429']);

    const alias = doc.paths['/api/login'].post;
    expect(alias).toMatchObject({ operationId: 'loginAlias', security: [], summary: `${login.summary} (alias)` });
    expect(alias.requestBody).toEqual(login.requestBody);

    expect(doc.components.securitySchemes.bearerAuth).toEqual({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    const problem = doc.components.schemas.Problem;
    expect(problem.required).toEqual(['type', 'title', 'status', 'detail', 'code']);
    expect(problem.properties.code.enum).toEqual(Object.keys(ERROR_CODES));
    expect(problem.properties.errors.items.required).toEqual(['path', 'message']);
    for (const status of ['400', '401', '403', '429']) {
      expect(login.responses[status].content['application/problem+json'].schema, status).toEqual(ref('Problem'));
    }
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
    expect(byId.rateEvent?.where).toBe('POST /api/events/{id}/rate');
    expect(byId.login.security).toEqual([]);
    expect(byId.getCalendarFeed.security).toEqual([]);
    expect(byId.rateEvent.security).toEqual([{ bearerAuth: [] }]);
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
      expect(
        op.parameters.some((p: any) => p.name === 'cursor'),
        path,
      ).toBe(true);
      expect(op.responses['200'].headers.Link, path).toMatchObject({
        schema: { type: 'string' },
        description: expect.stringContaining('rel="next"'),
      });
    }
  });

  it('documents the read-your-writes bookmark on every operation that touches D1', async () => {
    const doc = await json(call('GET', '/api/openapi.json'), 200);
    expect(doc.components.headers.D1Bookmark).toEqual({
      description: expect.stringContaining('X-D1-Bookmark'),
      schema: { type: 'string' },
    });
    expect(doc.components.parameters.D1Bookmark).toMatchObject({ name: 'X-D1-Bookmark', in: 'header' });
    const operations: [string, string][] = [
      ['/api/events', 'get'],
      ['/api/events', 'post'],
      ['/api/admin/users', 'get'],
      ['/api/auth/login', 'post'],
    ];
    for (const [path, method] of operations) {
      const op = doc.paths[path][method];
      expect(op.parameters, path).toContainEqual({ $ref: '#/components/parameters/D1Bookmark' });
      expect(
        Object.values(op.responses).every((r: any) => r.headers?.['X-D1-Bookmark']),
        path,
      ).toBe(true);
    }
    expect(doc.paths['/api/system/ping'].get.parameters ?? []).not.toContainEqual({ $ref: '#/components/parameters/D1Bookmark' });
    const photo = doc.paths['/api/photos/{expiry}/{signature}/events/{eventId}/{file}'].get;
    expect(photo.parameters).not.toContainEqual({ $ref: '#/components/parameters/D1Bookmark' });
    // The routes' own declaration (withoutD1) is read, not published.
    expect(JSON.stringify(doc)).not.toContain('x-without-d1');
  });

  it('declares on every operation each status the shared guards answer on it', async () => {
    const doc = await json(call('GET', '/api/openapi.json'), 200);
    const admin = await adminToken();
    const operations = Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({
        path,
        method: method.toUpperCase(),
        op,
        declared: Object.keys(op.responses),
      })),
    );
    expect(operations.length).toBeGreaterThanOrEqual(45);
    const declares = (where: string, declared: string[], status: number) =>
      expect(declared, `${where} answers ${status}`).toContain(String(status));
    for (const { path, method, op, declared } of operations) {
      const where = `${method} ${path}`;
      const parameters = (op.parameters ?? []).filter((p: any) => !p.$ref);
      const hasPath = parameters.some((p: any) => p.in === 'path');
      // What the guards are built to answer, from what the operation takes.
      declares(where, declared, 413);
      if (method !== 'GET') declares(where, declared, 415);
      if (op.requestBody || parameters.some((p: any) => p.in === 'query')) declares(where, declared, 400);
      if (hasPath) declares(where, declared, 404);

      // And what they answer. A request of another method may carry a body: the body guard answers before anyone is asked who calls.
      const url = path.replace(/\{\w+\}/g, 'x'.repeat(65));
      if (method !== 'GET') {
        await expectProblem(
          call(method, url, { body: 'text', headers: { 'Content-Type': 'text/plain' } }),
          415,
          'unsupported_media_type',
        );
        await expectProblem(call(method, url, { body: { padding: 'x'.repeat(70 * 1024) } }), 413, 'payload_too_large');
      }
      // Unknowable ids (over 64 characters), a limit and a cursor that are none, asked by a global admin.
      const query = parameters.some((p: any) => p.name === 'limit') ? '?limit=0x2&cursor=nothing' : '';
      if (!hasPath && !query) continue;
      const res = await call(method, url + query, { token: admin, ...(method === 'GET' ? {} : { body: {} }) });
      declares(where, declared, res.status);
      if (hasPath && !path.startsWith('/api/photos/')) await expectProblem(res, 404, 'not_found');
      // A path that names nothing is judged before the query (src/lib/create-router.ts): 404 above, then.
      else if (query) await expectProblem(res, 400, 'validation_failed');
    }
  });

  it('gives every operation a 4xx, the body guard’s 413 at least', async () => {
    const doc = await json(call('GET', '/api/openapi.json'), 200);
    const without4xx = Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([, op]) => !Object.keys(op.responses).some((status) => status.startsWith('4')))
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    expect(without4xx).toEqual([]);
    for (const path of ['/', '/api/system/ping', '/api/system/healthcheck', '/api/openapi.json', '/api/docs']) {
      expect(doc.paths[path].get.responses['413'].content['application/problem+json'], path).toBeDefined();
    }
    expect(doc.info.license).toEqual({ name: expect.stringContaining('UNLICENSED'), identifier: 'LicenseRef-Proprietary' });
  });

  it('writes every pattern as a JSON Schema regex that accepts the document’s own examples', async () => {
    const doc = await json(call('GET', '/api/openapi.json'), 200);
    const patterns: { where: string; pattern: string; examples: unknown[] }[] = [];
    const walk = (node: unknown, where: string) => {
      if (!node || typeof node !== 'object') return;
      const schema = node as Record<string, unknown>;
      if (typeof schema.pattern === 'string') {
        const examples = [...(schema.example === undefined ? [] : [schema.example]), ...((schema.examples as unknown[]) ?? [])];
        patterns.push({ where, pattern: schema.pattern, examples });
      }
      for (const [key, value] of Object.entries(schema)) walk(value, `${where}/${key}`);
    };
    walk(doc, '#');
    expect(patterns.map((p) => p.where)).toEqual(
      expect.arrayContaining(['#/components/schemas/RegisterRequest/properties/name']),
    );
    for (const { where, pattern, examples } of patterns) {
      const regex = new RegExp(pattern, 'u');
      for (const example of examples) expect(regex.test(String(example)), `${where}: ${example}`).toBe(true);
    }
    const name = new RegExp(doc.components.schemas.RegisterRequest.properties.name.pattern, 'u');
    expect(['Anna Schmidt', 'Zoë Ørsted', 'Łukasz 🍰'].every((n) => name.test(n))).toBe(true);
    expect(['Anna\nBcc: x', 'Tab\there', '\u0085'].some((n) => name.test(n))).toBe(false);
    expect(patterns.filter((p) => p.examples.length > 0).length).toBeGreaterThanOrEqual(3);
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
    const list = (name: string) => ({ type: 'array', items: ref(name) });
    const expected: [string, string, string, object, string[]][] = [
      ['get', '/api/admin/users', 'listManagedUsers', list('User'), ['200', '400', '401', '403', '413']],
      [
        'put',
        '/api/admin/users/{id}/status',
        'setUserStatus',
        ref('User'),
        ['200', '400', '401', '403', '404', '409', '413', '415'],
      ],
      ['delete', '/api/admin/users/{id}', 'deleteUser', ref('Message'), ['200', '401', '403', '404', '409', '413', '415']],
      ['post', '/api/admin/users/assign-group', 'assignGroup', ref('User'), ['200', '400', '401', '403', '404', '413', '415']],
      [
        'post',
        '/api/admin/users/force-password-change',
        'forcePasswordChange',
        ref('User'),
        ['200', '400', '401', '403', '404', '413', '415'],
      ],
      [
        'post',
        '/api/admin/users/{id}/reset-2fa',
        'resetTwoFactor',
        ref('User'),
        ['200', '401', '403', '404', '409', '413', '415'],
      ],
      ['get', '/api/admin/groups', 'listManagedGroups', list('Group'), ['200', '400', '401', '403', '413']],
      ['post', '/api/admin/groups', 'createGroup', ref('Group'), ['201', '400', '401', '403', '409', '413', '415']],
      ['delete', '/api/admin/groups/{id}', 'deleteGroup', ref('Message'), ['200', '401', '403', '404', '413', '415']],
      [
        'delete',
        '/api/admin/groups/{id}/members/{userId}',
        'removeMember',
        ref('User'),
        ['200', '401', '403', '404', '413', '415'],
      ],
      ['post', '/api/admin/groups/set-role', 'setRole', ref('User'), ['200', '400', '401', '403', '404', '413', '415']],
    ];
    for (const [method, path, operationId, schema, statuses] of expected) {
      const op = doc.paths[path]?.[method];
      expect(op?.operationId, `${method} ${path}`).toBe(operationId);
      expect(op.tags).toEqual(['Admin']);
      expect(op.security).toEqual([{ bearerAuth: [] }]);
      expect(Object.keys(op.responses).sort()).toEqual(statuses);
      const success = op.responses[statuses[0]!].content['application/json'].schema;
      expect(success, `${method} ${path}`).toEqual(schema);
    }
    // The objects those answers carry, field by field.
    expect(Object.keys(doc.components.schemas.User.properties)).toEqual([
      'id',
      'name',
      'email',
      'isAdmin',
      'isActive',
      'mustChangePassword',
      'has2FA',
      'language',
      'emailLanguage',
      'groupId',
      'groupRole',
      'groups',
      'createdAt',
      'lastLoginAt',
    ]);
    expect(Object.keys(doc.components.schemas.Group.properties)).toEqual([
      'id',
      'name',
      'description',
      'timeZone',
      'language',
      'memberCount',
      'createdAt',
    ]);
    expect(doc.components.schemas.Message).toEqual({
      type: 'object',
      properties: { message: { type: 'string' } },
      required: ['message'],
    });
  });
});
