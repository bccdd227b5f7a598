/**
 * Keyset pages for every list: `limit` and an opaque `cursor` in the query,
 * the next page announced in `Link: <…>; rel="next"` (RFC 8288), the body a
 * plain array. A cursor is the sort key of the page's last row, signed so a
 * tampered one is refused (400) instead of being read as a position.
 * Keysets, not OFFSET: a page never repeats or skips a row when rows are
 * added before it, and the database reads only the rows it returns.
 */
import { z } from '@hono/zod-openapi';
import { type AnyColumn, type SQL, sql } from 'drizzle-orm';
import type { AppContext } from '../env';
import { invalidField } from '../errors';
import { fromBase64Url, timingSafeEqual, toBase64Url } from './encoding';
import { hmac } from './hmac';
import { purposeKey } from './keys';
import { publicUrl } from './public-url';

export type KeyValue = string | number;

/** The `limit` / `cursor` query parameters of a list, with its documented default and maximum. */
export const pageQuery = (defaultLimit: number, maxLimit: number) => ({
  // Decimal digits only: a number coercion would also read `0x2`, `1e3`, `1.0` or `+1`.
  limit: z
    .string()
    .regex(/^[0-9]+$/, 'A whole number in decimal digits')
    .transform(Number)
    .pipe(z.number().int().min(1).max(maxLimit))
    .default(defaultLimit)
    .openapi({
      type: 'integer',
      minimum: 1,
      maximum: maxLimit,
      default: defaultLimit,
      description: `Page size in decimal digits, default ${defaultLimit}, at most ${maxLimit} (anything else is 400).`,
    }),
  cursor: z
    .string()
    .min(1)
    .max(1024)
    .optional()
    .openapi({ description: 'Opaque: copy it from the `Link: <…>; rel="next"` header of the previous page.' }),
});

/** The admin and user lists: a real organisation fits the first page (the web frontends read only that). */
export const LIST_PAGE = 1_000;

export const PAGE_DESCRIPTION =
  'A page: the next one, if any, is announced in `Link: <…>; rel="next"`; follow it to read the list whole.';

const encoder = new TextEncoder();

/** Under the cursors' own key: a MAC made with the server secret for anything else is no cursor. */
const signature = async (secret: string, list: string, payload: string) =>
  (await hmac(await purposeKey(secret, 'page-cursor'), `${list}\u0000${payload}`)).slice(0, 12);

/** A cursor naming the list it belongs to: one from another list is refused too. */
async function encodeCursor(secret: string, list: string, key: readonly KeyValue[]): Promise<string> {
  const payload = toBase64Url(encoder.encode(JSON.stringify(key)));
  return `${payload}.${toBase64Url(await signature(secret, list, payload))}`;
}

const badCursor = () => invalidField('cursor', 'Not a cursor of this list');

export async function decodeCursor<T extends readonly KeyValue[]>(
  secret: string,
  list: string,
  cursor: string,
  shape: z.ZodType<T>,
): Promise<T> {
  const [payload, mac, extra] = cursor.split('.');
  if (!payload || !mac || extra !== undefined || !/^[A-Za-z0-9_-]+$/.test(payload + mac)) throw badCursor();
  let given: Uint8Array;
  let parsed: unknown;
  try {
    given = fromBase64Url(mac);
    if (!timingSafeEqual(given, await signature(secret, list, payload))) throw badCursor();
    parsed = JSON.parse(new TextDecoder().decode(fromBase64Url(payload)));
  } catch {
    throw badCursor();
  }
  const result = shape.safeParse(parsed);
  if (!result.success) throw badCursor();
  return result.data;
}

/** `(a, b, …) > (x, y, …)` (or `<` for a descending order): SQLite serves it from an index on the same columns. */
export const after = (columns: readonly (SQL | AnyColumn)[], key: readonly KeyValue[], descending = false) =>
  sql`(${sql.join([...columns], sql`, `)}) ${sql.raw(descending ? '<' : '>')} (${sql.join(
    key.map((v) => sql`${v}`),
    sql`, `,
  )})`;

/**
 * Trims the one extra row a page query reads (limit + 1) and, when there is
 * more, sets the Link header to this request's URL with the next cursor.
 */
export async function pageOf<T>(
  c: AppContext,
  list: string,
  rows: T[],
  limit: number,
  keyOf: (row: T) => readonly KeyValue[],
): Promise<T[]> {
  if (rows.length <= limit) return rows;
  const page = rows.slice(0, limit);
  const url = new URL(c.req.url);
  const next = new URL(publicUrl(c) + url.pathname);
  for (const [name, value] of url.searchParams) if (name !== 'cursor') next.searchParams.append(name, value);
  next.searchParams.set('cursor', await encodeCursor(c.env.JWT_SECRET, list, keyOf(page[page.length - 1]!)));
  c.header('Link', `<${next.toString()}>; rel="next"`);
  return page;
}
