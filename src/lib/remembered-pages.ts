/**
 * List pages this isolate answered lately (the user lists, the event lists),
 * each with the version of what it shows, read in the same batch as the
 * page (src/users/directory-version.ts, src/events/events-version.ts). A page
 * asked for again costs the session check and that one small version read,
 * in one round trip: when the version is still the same, nothing the page
 * shows has changed and the page is answered as it was, without reading its
 * rows again. When it differs, the page is read afresh (a second trip) and
 * remembered with the version read before it, so data newer than its
 * version is possible, never older.
 *
 * A page is kept per token and URL: never shared between two callers or two
 * sessions, and every request still passes the whole session check (a
 * revoked, deactivated or demoted caller gets the refusal, not the page).
 */
import { createMiddleware } from 'hono/factory';
import { bearerToken } from '../auth/authenticate';
import type { Database } from '../db/client';
import type { AuthEnv, HonoEnv, Query } from '../env';
import { SizedMemo, stringBytes } from './sized-memo';

export interface PageVersion {
  /** One row whose `version` changes whenever anything the caller's pages show changes. */
  query: (db: Database, userId: string) => Query<{ version: string }[]>;
  /** What else the pages depend on besides the data (the day, where flags or URLs change with it). */
  moment?: (version: string, now: Date) => string;
}

interface RememberedPage {
  version: string;
  body: string;
  headers: Record<string, string>;
}

const REMEMBERED_PAGES_BYTES = 16 * 1024 * 1024;

const pages = new SizedMemo<RememberedPage>(
  REMEMBERED_PAGES_BYTES,
  (page) => stringBytes(page.body) + stringBytes(page.version) + Object.values(page.headers).reduce((n, v) => n + stringBytes(v), 0),
);

/** What a page's answer carries besides its body (pagination.ts announces the next page in Link). */
const PAGE_HEADERS = ['Content-Type', 'Link'];

export const remembersPages = ({ query, moment }: PageVersion) =>
  createMiddleware<HonoEnv & AuthEnv>(async (c, next) => {
    const token = bearerToken(c);
    if (!token) return next();
    const key = `${token}\u0000${c.req.url}`;
    const db = c.var.db;
    const full = (rows: { version: string }[]) => {
      const version = rows[0]?.version;
      return version === undefined ? undefined : moment ? `${version}\u0000${moment(version, new Date())}` : version;
    };
    const kept = pages.get(key);
    let version: Promise<string | undefined>;
    if (kept) {
      const [, rows] = await c.var.auth.check((me) => [query(db, me)]);
      const now = full(rows);
      if (now === kept.version) return c.body(kept.body, 200, kept.headers);
      version = Promise.resolve(now);
    } else {
      version = c.var.auth.alongside((me) => query(db, me)).then(full);
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
