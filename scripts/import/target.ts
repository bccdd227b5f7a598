/**
 * What this project's database already holds of what the import writes:
 * read before planning, so that a second run inserts nothing, a row that
 * exists with other content is reported instead of overwritten, and unique
 * emails and group names are known before any statement runs.
 *
 * Reading goes through `query` (one SQL string in, rows out): wrangler's
 * `d1 execute --json` in Node, the D1 binding in the tests. Large tables are
 * read in keyset pages, so no answer grows with the database.
 */
import type { SqlValue } from './source';

export type Query = (sql: string) => Promise<Record<string, SqlValue>[]>;
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
    columns: ['id', 'name', 'email', 'password_hash', 'is_admin', 'is_active', 'must_change_password', 'language',
      'email_language', 'primary_group_id', 'totp_secret', 'created_at'],
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

/** Every row of a table, `pageSize` at a time, in key order (the primary key serves it). */
async function readAll(query: Query, read: TableRead, pageSize: number, onPage?: (rows: number) => void): Promise<Row[]> {
  const all: Row[] = [];
  const keyList = read.key.join(', ');
  let after: Row | undefined;
  for (;;) {
    const where = after ? `WHERE (${keyList}) > (${read.key.map((k) => quote(String(after![k]))).join(', ')})` : '';
    const page = await query(`SELECT ${read.columns.join(', ')} FROM ${read.table} ${where} ORDER BY ${keyList} LIMIT ${pageSize}`);
    all.push(...page);
    onPage?.(all.length);
    if (page.length < pageSize) return all;
    after = page[page.length - 1];
  }
}

export interface ReadTargetOptions {
  pageSize?: number;
  progress?: (table: string, rows: number) => void;
}

export async function readTarget(query: Query, options: ReadTargetOptions = {}): Promise<TargetState> {
  const pageSize = options.pageSize ?? 100_000;
  const read = (name: keyof typeof READS) =>
    readAll(query, READS[name], pageSize, (rows) => options.progress?.(READS[name].table, rows));
  const byPair = (rows: Row[], a: string, b: string) => new Map(rows.map((r) => [pairKey(String(r[a]), String(r[b])), r]));

  const users = await read('users');
  const groups = await read('groups');
  return {
    users: new Map(users.map((u) => [String(u.id), u])),
    userIdByEmail: new Map(users.map((u) => [String(u.email), String(u.id)])),
    groups: new Map(groups.map((g) => [String(g.id), g])),
    groupIdByName: new Map(groups.map((g) => [sqliteLower(String(g.name)), String(g.id)])),
    memberships: byPair(await read('memberships'), 'user_id', 'group_id'),
    events: new Map((await read('events')).map((e) => [String(e.id), e])),
    ratings: byPair(await read('ratings'), 'event_id', 'user_id'),
    gallery: byPair(await read('gallery'), 'event_id', 'user_id'),
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
