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

  it('renders the document in a browser page', async () => {
    const res = await call('GET', '/api/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('/api/openapi.json');
  });
});
