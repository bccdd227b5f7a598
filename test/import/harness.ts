/**
 * Runs the importer's pure core (scripts/import/plan.ts) inside workerd
 * against real local bindings: the original database is a D1 database with
 * the original's schema (ORIGINAL_DB), the upload folder a map of files, and
 * the plan is applied the way the command applies it: photos into R2 first,
 * then the generated SQL statements into D1.
 */
import { env } from 'cloudflare:workers';
import type { UploadFolder } from '../../scripts/import/photos';
import { type ImportOptions, type ImportPlan, planImport } from '../../scripts/import/plan';
import type { OriginalSource, SourceRow } from '../../scripts/import/source';
import { planStatements } from '../../scripts/import/sql';
import { readTarget } from '../../scripts/import/target';
import { verifyPassword } from '../../src/auth/password';

/** An original database held in D1 (the tests have no SQLite file): the same SQL the Node source runs. */
function d1Source(db: D1Database): OriginalSource {
  return {
    async tables() {
      const { results } = await db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all<{ name: string }>();
      const tables = new Map<string, Set<string>>();
      for (const { name } of results) {
        if (name.startsWith('_cf_') || name.startsWith('sqlite_')) continue;
        const columns = await db.prepare('SELECT name FROM pragma_table_info(?)').bind(name).all<{ name: string }>();
        tables.set(name, new Set(columns.results.map((c) => c.name)));
      }
      return tables;
    },
    async *rows(table, columns, orderBy) {
      const { results } = await db.prepare(`SELECT ${columns.join(', ')} FROM ${table} ORDER BY ${orderBy}`).all<SourceRow>();
      yield* results;
    },
  };
}

function memoryFolder(files: Map<string, Uint8Array>): UploadFolder {
  return {
    entry: async (name) => (files.has(name) ? { kind: 'file', size: files.get(name)!.length } : { kind: 'missing' }),
    read: async (name) => files.get(name)!,
  };
}

/** This project's D1 as the importer reads it. */
const targetQuery = async (statements: string[]) =>
  (await env.DB.batch<Record<string, any>>(statements.map((sql) => env.DB.prepare(sql)))).map((r) => r.results);

export interface RunOptions extends Partial<ImportOptions> {
  source?: OriginalSource;
  files?: Map<string, Uint8Array>;
  dryRun?: boolean;
}

/** Reads the target, plans, and (unless a dry run) applies: one run of `npm run import`. */
export async function runImport(options: RunOptions = {}): Promise<ImportPlan> {
  const files = options.files ?? new Map();
  const plan = await planImport(options.source ?? d1Source(env.ORIGINAL_DB), await readTarget(targetQuery, { pageSize: 1000 }), {
    timeZone: options.timeZone ?? 'Europe/Berlin',
    totpKeys: env,
    verifyPassword,
    uploads: options.uploads === undefined ? memoryFolder(files) : options.uploads,
  });
  if (options.dryRun) return plan;
  for (const photo of plan.photos) {
    await env.PHOTOS.put(photo.key, files.get(photo.fileName)!, { httpMetadata: { contentType: photo.contentType } });
  }
  const statements = [...planStatements(plan.tables)];
  if (statements.length) await env.DB.batch(statements.map((s) => env.DB.prepare(s.sql)));
  return plan;
}
