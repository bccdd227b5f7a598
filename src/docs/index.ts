/**
 * GET /api/docs and its assets. The renderer's files are the swagger-ui-dist
 * package's own, served through the DOCS_ASSETS binding (Workers static
 * assets, wrangler.toml): the Worker answers first and hands out only the
 * files the page loads.
 */
import { Hono } from 'hono';
import type { AppContext, HonoEnv } from '../env';
import { ApiError } from '../errors';
import { ASSETS_PATH, DOCS_HTML, DOCS_PATH, DOCS_SCRIPT, RENDERER_FILES } from './page';
import { externalizeDataUrls, type Stylesheet } from './stylesheet';

/** The renderer changes only with the package: a day of caching is safe, and revalidated by ETag. */
const ASSET_CACHE = 'public, max-age=86400';

let stylesheet: Promise<Stylesheet> | undefined;

async function loadStylesheet(c: AppContext): Promise<Stylesheet> {
  const res = await rendererFile(c, 'swagger-ui.css');
  if (!res.ok) throw new Error(`swagger-ui.css: ${res.status}`);
  return externalizeDataUrls(await res.text(), ASSETS_PATH);
}

/** Built once per isolate; a failed build is retried on the next request. */
function styles(c: AppContext): Promise<Stylesheet> {
  stylesheet ??= loadStylesheet(c).catch((error: unknown) => {
    stylesheet = undefined;
    throw error;
  });
  return stylesheet;
}

const rendererFile = (c: AppContext, name: string) =>
  c.env.DOCS_ASSETS.fetch(new Request(new URL(`/${name}`, c.req.url), { headers: pick(c.req.raw.headers, 'If-None-Match') }));

function pick(headers: Headers, name: string): Record<string, string> {
  const value = headers.get(name);
  return value ? { [name]: value } : {};
}

const notFound = (path: string) => new ApiError('not_found', `No route for GET ${path}.`);

export const docsRouter = new Hono<HonoEnv>()
  .get(DOCS_PATH, (c) => c.html(DOCS_HTML, 200, { 'Cache-Control': 'no-cache' }))
  .get(`${ASSETS_PATH}:name`, async (c) => {
    const name = c.req.param('name');
    if (name === 'docs.js') {
      return c.body(DOCS_SCRIPT, 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-cache' });
    }
    if (name === 'swagger-ui.css') {
      const { css } = await styles(c);
      return c.body(css, 200, { 'Content-Type': RENDERER_FILES[name]!, 'Cache-Control': ASSET_CACHE });
    }
    const icon = /^icon-\d+\.\w+$/.test(name) ? (await styles(c)).images.get(name) : undefined;
    if (icon) return c.body(icon.body, 200, { 'Content-Type': icon.type, 'Cache-Control': ASSET_CACHE });

    const type = RENDERER_FILES[name];
    if (!type) throw notFound(c.req.path);
    const res = await rendererFile(c, name);
    if (res.status !== 304 && !res.ok) throw notFound(c.req.path);
    const headers: Record<string, string> = { 'Content-Type': type, 'Cache-Control': ASSET_CACHE, ...pick(res.headers, 'ETag') };
    return new Response(res.status === 304 ? null : res.body, { status: res.status === 304 ? 304 : 200, headers });
  });
