/**
 * The original database as the import reads it: whatever holds it (a
 * read-only SQLite file in Node, a D1 database in the tests) offers its
 * tables' columns and their rows. `checkSource` stops the import before
 * anything is written when a table or column it reads is missing.
 */
import { ORIGINAL_COLUMNS, ORIGINAL_ORDER, ORIGINAL_TABLES, type OriginalTable } from './original';

export type SqlValue = string | number | bigint | null | Uint8Array;
export type SourceRow = Record<string, SqlValue>;
/** One column of a source row (undefined only if a column was not read). */
export type Cell = SqlValue | undefined;

export interface OriginalSource {
  /** Column names of every table the database has. */
  tables(): Promise<Map<string, Set<string>>>;
  /** The rows of `table` with `columns`, sorted by `orderBy` (SQL). */
  rows(table: OriginalTable, columns: readonly string[], orderBy: string): AsyncIterable<SourceRow>;
}

/** Input the import cannot start from; its message names what is wrong. */
export class SourceError extends Error {
  override readonly name = 'SourceError';
}

export async function checkSource(source: OriginalSource): Promise<void> {
  const tables = await source.tables();
  const missing: string[] = [];
  for (const table of ORIGINAL_TABLES) {
    const columns = tables.get(table);
    if (!columns) missing.push(`table ${table}`);
    else for (const column of ORIGINAL_COLUMNS[table]) if (!columns.has(column)) missing.push(`column ${table}.${column}`);
  }
  if (missing.length) {
    throw new SourceError(`This is not a CakePlanner database of the expected version: missing ${missing.join(', ')}.`);
  }
}

/** Every row of an original table, with the columns and order the import relies on. */
export const readTable = (source: OriginalSource, table: OriginalTable) =>
  source.rows(table, ORIGINAL_COLUMNS[table], ORIGINAL_ORDER[table]);
