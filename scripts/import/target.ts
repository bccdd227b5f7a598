/**
 * What this project's database already holds of what the import writes:
 * read before planning, so that a second run inserts nothing, a row that
 * exists with other content is reported instead of overwritten, and unique
 * emails and group names are known before any statement runs.
 *
 * Reading goes through `query` (SQL statements in, their rows out):
 * wrangler's `d1 execute --json` in Node, the D1 binding in the tests. Large tables are
 * read in keyset pages, so no answer grows with the database.
 */
import type { SqlValue } from './source';

/** Runs SELECT statements, answering each one's rows in order (one wrangler call, or one D1 batch). */
export type Query = (statements: string[]) => Promise<Record<string, SqlValue>[][]>;
type Row = Record<string, SqlValue>;

export interface TargetState {
  users: Map<string, Row>;
  /** Email (stored normalized) → user id. */
  userIdByEmail: Map<string, string>;
  groups: Map<string, Row>;
  /** `sqliteLower(name)` → group id: the unique index is on SQLite's `lower(name)`. */
  groupIdByName: Map<string, string>;
  /** `userId|groupId` → row. */
  memberships: Map<string, Row>;
  events: Map<string, Row>;
  /** `eventId|userId` → row. */
  ratings: Map<string, Row>;
  /** `eventId|userId` → row. */
  gallery: Map<string, Row>;
}

export const pairKey = (a: string, b: string) => `${a}|${b}`;

/** SQLite's `lower()`: ASCII letters only, so `Küche` and `KÜCHE` are two names to the unique index. */
export const sqliteLower = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase());

const quote = (value: string) => `'${value.replaceAll("'", "''")}'`;

interface TableRead {
  table: string;
  columns: string[];
  key: string[];
}

const READS = {
  users: {
    table: 'users',
    columns: [
      'id',
      'name',
      'email',
      'password_hash',
      'is_admin',
      'is_active',
      'must_change_password',
      'language',
      'email_language',
      'primary_group_id',
      'totp_secret',
      'created_at',
    ],
    key: ['id'],
  },
  groups: { table: 'groups', columns: ['id', 'name', 'description', 'time_zone', 'created_at'], key: ['id'] },
  memberships: { table: 'memberships', columns: ['user_id', 'group_id', 'role', 'created_at'], key: ['user_id', 'group_id'] },
  events: {
    table: 'events',
    columns: ['id', 'group_id', 'baker_id', 'date', 'description', 'cover_photo_key', 'created_at'],
    key: ['id'],
  },
  ratings: {
    table: 'ratings',
    columns: ['event_id', 'user_id', 'stars', 'comment', 'created_at', 'updated_at'],
    key: ['event_id', 'user_id'],
  },
  gallery: {
    table: 'event_photos',
    columns: ['event_id', 'user_id', 'object_key', 'content_type', 'created_at'],
    key: ['event_id', 'user_id'],
  },
} satisfies Record<string, TableRead>;

const pageQuery = (read: TableRead, pageSize: number, after?: Row) => {
  const keyList = read.key.join(', ');
  const where = after ? `WHERE (${keyList}) > (${read.key.map((k) => quote(String(after[k]))).join(', ')})` : '';
  return `SELECT ${read.columns.join(', ')} FROM ${read.table} ${where} ORDER BY ${keyList} LIMIT ${pageSize}`;
};

export interface ReadTargetOptions {
  pageSize?: number;
  progress?: (table: string, rows: number) => void;
}

/**
 * Every table's rows, `pageSize` at a time in key order (the primary key
 * serves it): each round asks for the next page of every table not yet
 * read to its end in one call, since one wrangler call costs seconds.
 */
export async function readTarget(query: Query, options: ReadTargetOptions = {}): Promise<TargetState> {
  const pageSize = options.pageSize ?? 100_000;
  const names = Object.keys(READS) as (keyof typeof READS)[];
  const rows = Object.fromEntries(names.map((n) => [n, [] as Row[]])) as Record<keyof typeof READS, Row[]>;
  let open = names.map((name) => ({ name, after: undefined as Row | undefined }));
  while (open.length) {
    const pages = await query(open.map(({ name, after }) => pageQuery(READS[name], pageSize, after)));
    open = open.flatMap(({ name }, i) => {
      const page = pages[i]!;
      rows[name].push(...page);
      options.progress?.(READS[name].table, rows[name].length);
      return page.length === pageSize ? [{ name, after: page[page.length - 1] }] : [];
    });
  }
  const byPair = (list: Row[], a: string, b: string) => new Map(list.map((r) => [pairKey(String(r[a]), String(r[b])), r]));
  return {
    users: new Map(rows.users.map((u) => [String(u.id), u])),
    userIdByEmail: new Map(rows.users.map((u) => [String(u.email), String(u.id)])),
    groups: new Map(rows.groups.map((g) => [String(g.id), g])),
    groupIdByName: new Map(rows.groups.map((g) => [sqliteLower(String(g.name)), String(g.id)])),
    memberships: byPair(rows.memberships, 'user_id', 'group_id'),
    events: new Map(rows.events.map((e) => [String(e.id), e])),
    ratings: byPair(rows.ratings, 'event_id', 'user_id'),
    gallery: byPair(rows.gallery, 'event_id', 'user_id'),
  };
}

/** A database without this project's tables yet (a local state before its first `npm start`). */
export const emptyTarget = (): TargetState => ({
  users: new Map(),
  userIdByEmail: new Map(),
  groups: new Map(),
  groupIdByName: new Map(),
  memberships: new Map(),
  events: new Map(),
  ratings: new Map(),
  gallery: new Map(),
});
