// Applying a plan through wrangler: photos first (so no row ever names a
// missing object), then the SQL in files of at most 16 MB, in the order the
// foreign keys need, each file one `wrangler d1 execute --file`.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SourceError } from './source.ts';
import { planStatements } from './sql.ts';

const FILE_BYTES = 16 * 1024 * 1024;
const PHOTOS_PER_CALL = 500;

export async function uploadPhotos(target, folder, photos, { workDir, progress }) {
  const byType = Map.groupBy(photos, (p) => p.contentType);
  let done = 0;
  for (const [contentType, group] of byType) {
    for (let i = 0; i < group.length; i += PHOTOS_PER_CALL) {
      const batch = group.slice(i, i + PHOTOS_PER_CALL);
      // wrangler reads each file by its path and follows links: each must still be the regular file planned.
      for (const { fileName } of batch) {
        if ((await folder.entry(fileName)).kind !== 'file')
          throw new SourceError(`${folder.path(fileName)} is no longer a regular file.`);
      }
      const manifest = resolve(workDir, 'photos.json');
      writeFileSync(manifest, JSON.stringify(batch.map((p) => ({ key: p.key, file: resolve(folder.path(p.fileName)) }))));
      await target.putPhotos(manifest, contentType);
      done += batch.length;
      progress(`photos ${done.toLocaleString('en')}/${photos.length.toLocaleString('en')}`);
    }
  }
}

/** Writes the SQL files first (all of them, so a failure while generating writes nothing), then runs them in order. */
export async function writeRows(target, tables, { workDir, progress }) {
  const totals = Object.fromEntries(tables.map((t) => [t.table, t.rows.length]));
  const files = [];
  let buffer = [];
  let bytes = 0;
  let counts = {};
  const flush = () => {
    if (!buffer.length) return;
    const file = resolve(workDir, `${String(files.length).padStart(4, '0')}.sql`);
    writeFileSync(file, buffer.join(''));
    files.push({ file, counts });
    [buffer, bytes, counts] = [[], 0, {}];
  };
  for (const statement of planStatements(tables)) {
    buffer.push(statement.sql);
    bytes += Buffer.byteLength(statement.sql);
    counts[statement.table] = (counts[statement.table] ?? 0) + statement.rows;
    if (bytes >= FILE_BYTES) flush();
  }
  flush();

  const done = {};
  for (const [i, { file, counts: inFile }] of files.entries()) {
    await target.executeFile(file);
    for (const [table, rows] of Object.entries(inFile)) done[table] = (done[table] ?? 0) + rows;
    const tally = Object.entries(totals)
      .filter(([, n]) => n > 0)
      .map(([t, n]) => `${t} ${(done[t] ?? 0).toLocaleString('en')}/${n.toLocaleString('en')}`)
      .join(' · ');
    progress(`[${i + 1}/${files.length}] ${tally}`);
  }
  return files.length;
}

export function freshWorkDir(dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}
