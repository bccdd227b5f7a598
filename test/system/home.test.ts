import { describe, expect, it } from 'vitest';
import pkg from '../../package.json';
import { call, expectProblem, json } from '../helpers/api';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

describe('GET / (what a newcomer opens first)', () => {
  it('answers a program with a small JSON index pointing at the docs, the document and the healthcheck', async () => {
    for (const accept of [undefined, 'application/json', '*/*']) {
      const res = await call('GET', '/', { headers: accept ? { Accept: accept } : {} });
      expect(res.headers.get('Vary')).toMatch(/\bAccept\b/);
      const body = await json(res, 200);
      expect(body).toEqual({
        name: 'Cake Planner API',
        version: pkg.version,
        description: expect.any(String),
        links: { docs: '/api/docs', openapi: '/api/openapi.json', healthcheck: '/api/system/healthcheck' },
      });
    }
  });

  it('sends a browser to the docs page', async () => {
    for (const accept of [BROWSER_ACCEPT, 'text/html']) {
      const res = await call('GET', '/', { headers: { Accept: accept }, redirect: 'manual' });
      expect(res.status).toBe(302);
      expect(res.headers.get('Location')).toBe('/api/docs');
      expect(res.headers.get('Vary')).toMatch(/\bAccept\b/);
    }
  });

  it('every link it gives answers', async () => {
    const { links } = await json(call('GET', '/'), 200);
    for (const path of Object.values(links) as string[]) expect((await call('GET', path)).status, path).toBe(200);
  });

  it('is described in the OpenAPI document, with both answers and no bookmark (it reads no data)', async () => {
    const doc = await json(call('GET', '/api/openapi.json'), 200);
    const op = doc.paths['/'].get;
    expect(op.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ApiIndex' });
    expect(op.operationId).toBe('getApiIndex');
    expect(op.security).toEqual([]);
    expect(op.responses['302'].headers.Location).toEqual({ schema: { type: 'string', example: '/api/docs' } });
    expect(op.parameters ?? []).not.toContainEqual({ $ref: '#/components/parameters/D1Bookmark' });
  });

  it('other methods are a 405 problem naming GET', async () => {
    const res = await call('POST', '/', { body: {} });
    expect(res.headers.get('Allow')).toContain('GET');
    await expectProblem(res, 405, 'method_not_allowed');
  });
});
