/**
 * The import as a pure function: the original's rows (a source), what is
 * already here (a target state) and the options in; the rows to insert, the
 * photos to upload and the summary out. Nothing here writes: the Node
 * command (scripts/import.mjs) and the tests apply a plan their own way.
 *
 * Rows are judged one by one against this project's rules; a row that
 * breaks one is skipped with its reason, and so is every row that depends on
 * a skipped one (a rating of a skipped event, …), so nothing is written half.
 */

import type { PhotoUpload } from './photos';
import { planCakes } from './plan-cakes';
import { planPeople } from './plan-people';
import { type ImportOptions, Planning } from './planning';
import type { OriginalSource } from './source';
import { checkSource } from './source';
import type { PlannedTable } from './sql';
import type { Summary } from './summary';
import type { TargetState } from './target';

export type { ImportOptions };

export interface ImportPlan {
  /** Rows to insert, in an order the foreign keys accept. */
  tables: PlannedTable[];
  /** Photos to store before the rows that name them. */
  photos: PhotoUpload[];
  summary: Summary;
}

export async function planImport(source: OriginalSource, target: TargetState, options: ImportOptions): Promise<ImportPlan> {
  await checkSource(source);
  const planning = new Planning(target, options);
  const people = await planPeople(source, planning);
  const cakes = await planCakes(source, planning);
  return { tables: [...people, ...cakes.tables], photos: cakes.photos, summary: planning.summary };
}
