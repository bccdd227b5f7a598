/**
 * Planned rows as SQL text: multi-row `INSERT … ON CONFLICT DO NOTHING`
 * statements of at most ~90 KB (D1 refuses statements over 100 KB), in the
 * order the foreign keys need. The same text is what `wrangler d1 execute
 * --file` runs (locally or remotely) and what the tests run on their D1.
 *
 * `ON CONFLICT DO NOTHING` keeps a second run, or a row someone created
 * meanwhile, from overwriting anything; the plan already left out every row
 * it found here.
 */
import type { SqlValue } from './source';

export interface PlannedTable {
  table: string;
  columns: readonly string[];
  rows: SqlValue[][];
}

export interface Statement {
  table: string;
  rows: number;
  sql: string;
}

const STATEMENT_BYTES = 90_000;
const encoder = new TextEncoder();

/**
 * What `wrangler d1 execute --file` cuts out of a file's text wherever it
 * stands, string literals included (its trimSqlQuery drops the first
 * `BEGIN TRANSACTION;` and `COMMIT;`, and refuses a file that holds a second
 * `BEGIN TRANSACTION`): a description saying so would be changed or stop the
 * import. Matched loosely, so no spelling of them is left to chance.
 */
const TRANSACTION_WORDS = /begin\s+transaction|commit\s*;/i;

/**
 * A SQL literal. Text holding NUL (which ends SQL text for some parsers) or
 * transaction words goes as a hex blob cast to text.
 */
export function literal(value: SqlValue | boolean): string {
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (value instanceof Uint8Array) return `X'${hex(value)}'`;
  if (value.includes('\u0000') || TRANSACTION_WORDS.test(value)) return `CAST(X'${hex(encoder.encode(value))}' AS TEXT)`;
  return `'${value.replaceAll("'", "''")}'`;
}

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

function* insertStatements(planned: PlannedTable): Generator<Statement> {
  const head = `INSERT INTO ${planned.table} (${planned.columns.join(', ')}) VALUES\n`;
  const tail = '\nON CONFLICT DO NOTHING;\n';
  let values: string[] = [];
  let bytes = head.length + tail.length;
  const statement = (): Statement => ({ table: planned.table, rows: values.length, sql: `${head}${values.join(',\n')}${tail}` });
  for (const row of planned.rows) {
    const value = `(${row.map(literal).join(', ')})`;
    const size = encoder.encode(value).length + 2;
    if (values.length && bytes + size > STATEMENT_BYTES) {
      yield statement();
      values = [];
      bytes = head.length + tail.length;
    }
    values.push(value);
    bytes += size;
  }
  if (values.length) yield statement();
}

export function* planStatements(tables: readonly PlannedTable[]): Generator<Statement> {
  for (const table of tables) yield* insertStatements(table);
}
