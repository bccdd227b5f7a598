// The original database, opened read-only with Node's own SQLite (node:sqlite):
// nothing the import does can change it. SQLite reads a copy's -wal file itself.
import { existsSync, statSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { SourceError } from './source.ts';

export function openOriginal(path) {
  if (!existsSync(path) || !statSync(path).isFile()) throw new SourceError(`${path}: no such database file.`);
  let db;
  try {
    db = new DatabaseSync(path, { readOnly: true });
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (error) {
    db?.close();
    throw new SourceError(`${path} is not a SQLite database that can be read (${error.message}).`);
  }
  /** @type {import('./source.ts').OriginalSource} */
  const source = {
    async tables() {
      const tables = new Map();
      for (const { name } of db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all()) {
        const columns = db.prepare('SELECT name FROM pragma_table_info(?)').all(name);
        tables.set(name, new Set(columns.map((c) => c.name)));
      }
      return tables;
    },
    async *rows(table, columns, orderBy) {
      // The import's own table and column names only (checked by checkSource), never input.
      yield* db.prepare(`SELECT ${columns.join(', ')} FROM "${table}" ORDER BY ${orderBy}`).iterate();
    },
  };
  return { source, close: () => db.close() };
}
