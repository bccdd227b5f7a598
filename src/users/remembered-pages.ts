/**
 * User list pages (GET /api/users, GET /api/admin/users) this isolate
 * answered lately, each with the directory version it was read at
 * (directory-version.ts). A page asked for again costs the session check and
 * that one small version read, in one round trip: when the version is still
 * the same, nothing the page shows has changed and the page is answered as
 * it was, without reading 100–1,000 users again. When it differs, the page is
 * read afresh (a second trip) and remembered with the version read before it,
 * so data newer than its version is possible, never older.
 *
 * A page is kept per token and URL: never shared between two callers or two
 * sessions, and every request still passes the whole session check (a
 * revoked, deactivated or demoted caller gets the refusal, not the page).
 */
import { createMiddleware } from 'hono/factory';
import { bearerToken } from '../auth/authenticate';
import type { AuthEnv, HonoEnv } from '../env';
import { SizedMemo, stringBytes } from '../lib/sized-memo';
import { directoryVersionQuery } from './directory-version';

interface RememberedPage {
  version: string;
  body: string;
  headers: Record<string, string>;
}

const REMEMBERED_PAGES_BYTES = 8 * 1024 * 1024;

const pages = new SizedMemo<RememberedPage>(
  REMEMBERED_PAGES_BYTES,
  (page) => stringBytes(page.body) + stringBytes(page.version) + Object.values(page.headers).reduce((n, v) => n + stringBytes(v), 0),
);

/** What a page's answer carries besides its body (pagination.ts announces the next page in Link). */
const PAGE_HEADERS = ['Content-Type', 'Link'];

export const remembersPages = () =>
  createMiddleware<HonoEnv & AuthEnv>(async (c, next) => {
    const token = bearerToken(c);
    if (!token) return next();
    const key = `${token}\u0000${c.req.url}`;
    const db = c.var.db;
    const kept = pages.get(key);
    let version: Promise<string | undefined>;
    if (kept) {
      const [, [row]] = await c.var.auth.check((me) => [directoryVersionQuery(db, me)]);
      if (row?.version === kept.version) return c.body(kept.body, 200, kept.headers);
      version = Promise.resolve(row?.version);
    } else {
      version = c.var.auth.alongside((me) => directoryVersionQuery(db, me)).then(([row]) => row?.version);
    }
    await next();
    if (c.res.status !== 200) return;
    const read = await version;
    if (read === undefined) return;
    const headers: Record<string, string> = {};
    for (const name of PAGE_HEADERS) {
      const value = c.res.headers.get(name);
      if (value !== null) headers[name] = value;
    }
    pages.set(key, { version: read, body: await c.res.clone().text(), headers });
  });
