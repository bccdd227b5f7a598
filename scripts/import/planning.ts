/** What a planning step shares: the target's state, the options, the rows planned so far and the summary. */
import type { TotpKeys } from '../../src/auth/totp';
import type { UploadFolder } from './photos';
import type { Cell, SqlValue } from './source';
import { emptySummary, type Kind } from './summary';
import type { TargetState } from './target';

type Row = Record<string, SqlValue>;

export interface ImportOptions {
  /** IANA time zone of every imported group. */
  timeZone: string;
  /** Key material of this project's encrypted TOTP secrets (the Worker's TOTP_ENCRYPTION_KEY). */
  totpKeys: TotpKeys;
  /** One Argon2id verification (the default-admin check): the Worker's own rules, any implementation. */
  verifyPassword(phc: string, password: string): Promise<boolean>;
  /** The upload folder, or null to import no photos (--skip-photos). */
  uploads: UploadFolder | null;
  progress?(kind: Kind, rows: number): void;
}

/** Shared by the passes: the summary, the target, and which ids will exist here afterwards. */
export class Planning {
  readonly summary = emptySummary();
  /** Ids that exist here after the import (new, or already here), and why the others do not. */
  readonly present = { users: new Set<string>(), groups: new Set<string>(), events: new Set<string>() };
  readonly absent = { users: new Map<string, string>(), groups: new Map<string, string>(), events: new Map<string, string>() };

  // Plain fields, not parameter properties: Node runs this file by stripping types only.
  readonly target: TargetState;
  readonly options: ImportOptions;

  constructor(target: TargetState, options: ImportOptions) {
    this.target = target;
    this.options = options;
  }

  seen(kind: Kind) {
    const count = ++this.summary.counts[kind].source;
    if (count % 10_000 === 0) this.options.progress?.(kind, count);
  }

  skip(kind: Kind, id: string, reason: string) {
    this.summary.counts[kind].skipped++;
    this.summary.skipped.push({ kind, id, reason });
  }

  note(text: string) {
    this.summary.notes.push(text);
  }

  /**
   * New, or here already with the same content, or here with other content
   * (kept, listed). `fields` may be given for columns compared another way.
   */
  reconcile(
    kind: Kind,
    id: string,
    row: Row,
    existing: Row | undefined,
    differing: string[] = [],
  ): 'new' | 'unchanged' | 'different' {
    const counts = this.summary.counts[kind];
    if (!existing) {
      counts.new++;
      return 'new';
    }
    const fields = [...differing, ...Object.keys(row).filter((column) => !sameValue(row[column]!, existing[column] ?? null))];
    if (!fields.length) {
      counts.unchanged++;
      return 'unchanged';
    }
    counts.different++;
    this.summary.different.push({ kind, id, fields });
    return 'different';
  }

  /** Why a referenced id is not here: not in the source at all, or skipped (its own line says why). */
  missing(what: 'user' | 'group' | 'event', role: string, id: Cell): string {
    const absent = this.absent[`${what}s`];
    const key = String(id);
    return absent.has(key)
      ? `${role} ${key} is not imported (${absent.get(key)})`
      : `${role} ${JSON.stringify(id)} does not exist in the source`;
  }
}

/** D1 returns booleans as 0/1 and text as text: compare as SQL would. */
function sameValue(planned: SqlValue, existing: SqlValue): boolean {
  if (planned === null || existing === null) return planned === existing;
  return String(planned) === String(existing);
}
