import { describe, expect, it } from 'vitest';
import { externalizeDataUrls } from '../../src/docs/stylesheet';
import { call, expectProblem } from '../helpers/api';

/** The CSP as directive → sources. */
function cspOf(res: Response): Map<string, string[]> {
  const header = res.headers.get('Content-Security-Policy') ?? '';
  return new Map(
    header
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

/** Every `src`/`href` the page loads. */
const referencesOf = (html: string) => [...html.matchAll(/\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);

async function page() {
  const res = await call('GET', '/api/docs');
  expect(res.status).toBe(200);
  return { res, html: await res.text() };
}

describe('docs page (works offline, trusts no third party)', () => {
  it('is HTML whose CSP names only this origin: no CDN, no inline script or style, no eval', async () => {
    const { res } = await page();
    expect(res.headers.get('content-type')).toContain('text/html');
    const csp = cspOf(res);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('style-src')).toEqual(["'self'"]);
    expect(csp.get('default-src')).toEqual(["'none'"]);
    for (const [directive, sources] of csp) {
      for (const source of sources) expect(["'self'", "'none'"], `${directive} ${source}`).toContain(source);
    }
  });

  it('has no external URL, no inline script and no inline style', async () => {
    const { html } = await page();
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/\/\/[a-z0-9.-]+\.[a-z]{2,}/i);
    for (const script of html.match(/<script\b[^>]*>[\s\S]*?<\/script>/g) ?? [])
      expect(script).toMatch(/^<script src="\/api\/docs\/assets\/[\w.-]+"><\/script>$/);
    expect(html).not.toMatch(/<style\b|\sstyle=/i);
  });

  it('serves every file the page loads itself, typed so a nosniff browser runs it', async () => {
    const { html } = await page();
    const assets = referencesOf(html).filter((r) => r.startsWith('/api/docs/assets/'));
    expect(assets.length).toBeGreaterThanOrEqual(4);
    for (const path of assets) {
      const res = await call('GET', path);
      expect(res.status, path).toBe(200);
      const type = res.headers.get('content-type') ?? '';
      if (path.endsWith('.js')) expect(type, path).toMatch(/^text\/javascript/);
      if (path.endsWith('.css')) expect(type, path).toMatch(/^text\/css/);
      if (path.endsWith('.png')) expect(type, path).toBe('image/png');
      expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
      await res.arrayBuffer();
    }
    const bundle = await (await call('GET', '/api/docs/assets/swagger-ui-bundle.js')).text();
    expect(bundle.length).toBeGreaterThan(500_000);
    expect(bundle).toContain('SwaggerUIBundle');
  });

  it('starts the renderer on this API document, with Authorize taking the token of a sign-in', async () => {
    const script = await (await call('GET', '/api/docs/assets/docs.js')).text();
    expect(script).toContain("url: '/api/openapi.json'");
    expect(script).toContain('validatorUrl: null');
    expect(script).toContain("preauthorizeApiKey('bearerAuth'");
    const doc = await (await call('GET', '/api/openapi.json')).json<any>();
    expect(doc.components.securitySchemes.bearerAuth).toEqual({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  });

  it("serves the stylesheet's inline icons from this origin, since img-src is 'self'", async () => {
    const css = await (await call('GET', '/api/docs/assets/swagger-ui.css')).text();
    expect(css).not.toMatch(/url\(\s*["']?data:/);
    const icons = [...new Set([...css.matchAll(/url\("(\/api\/docs\/assets\/icon-[^"]+)"\)/g)].map((m) => m[1]!))];
    expect(icons.length).toBeGreaterThan(5);
    for (const path of icons) {
      const res = await call('GET', path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toMatch(/^image\//);
      expect((await res.arrayBuffer()).byteLength, path).toBeGreaterThan(20);
    }
  });

  it('revalidates the renderer by ETag', async () => {
    const first = await call('GET', '/api/docs/assets/swagger-ui-bundle.js');
    await first.arrayBuffer();
    const etag = first.headers.get('ETag');
    expect(etag).toBeTruthy();
    const again = await call('GET', '/api/docs/assets/swagger-ui-bundle.js', { headers: { 'If-None-Match': etag! } });
    expect(again.status).toBe(304);
  });

  it('hands out nothing else of the package, and no path outside it', async () => {
    for (const path of [
      'package.json',
      'swagger-ui-bundle.js.map',
      'index.html',
      'icon-999.svg',
      '..%2Fwrangler.toml',
      'swagger-initializer.js',
    ]) {
      await expectProblem(call('GET', `/api/docs/assets/${path}`), 404, 'not_found');
    }
  });
});

describe('moving data: URLs out of a stylesheet', () => {
  it('replaces quoted, escaped, base64 and bare data URLs, once per distinct image, and leaves others alone', () => {
    const svg = '<svg xmlns=\\"http://www.w3.org/2000/svg\\"><path fill=\\"%23fff\\"/></svg>';
    const css =
      `.a{background:url("data:image/svg+xml;charset=utf-8,${svg}") 50%}` +
      `.b{background:url(data:image/png;base64,iVBORw0KGgo=)}` +
      `.c{background:url("data:image/svg+xml;charset=utf-8,${svg}")}` +
      `.d{background:url(/keep.png)}.e{src:url("data:font/woff2;base64,AAAA")}`;
    const { css: out, images } = externalizeDataUrls(css, '/x/');
    expect(out).toBe(
      '.a{background:url("/x/icon-1.svg") 50%}.b{background:url("/x/icon-2.png")}.c{background:url("/x/icon-1.svg")}' +
        '.d{background:url(/keep.png)}.e{src:url("data:font/woff2;base64,AAAA")}',
    );
    expect(new TextDecoder().decode(images.get('icon-1.svg')!.body)).toBe(
      '<svg xmlns="http://www.w3.org/2000/svg"><path fill="#fff"/></svg>',
    );
    expect(images.get('icon-1.svg')!.type).toBe('image/svg+xml');
    expect([...images.get('icon-2.png')!.body.slice(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
  });
});
