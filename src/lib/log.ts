/**
 * The Worker's log lines: each is one JSON object, `{ level, msg, … }`,
 * which Workers Logs indexes by field (wrangler.toml `[observability]`).
 *
 * Nothing secret reaches a line. Fields are chosen by the caller from
 * what is safe to show: ids, counts, durations, route templates, error
 * classes; never a token, a password, an email, a body or an error's
 * message as it came. A drizzle error's message holds the statement's bound
 * parameters (an email, a password hash, a temporary password's hash, a
 * token hash…), and other errors may quote what they were given, so an
 * error is logged by its classes and, for database errors, SQLite's own
 * reason (`describeError`).
 */

import { env } from 'cloudflare:workers';

type Level = 'info' | 'warn' | 'error';

/**
 * `LOG_LEVEL=warn` leaves info lines out. Read from the module-level `env`
 * because lines are written from places without a request's context (the
 * queue consumers, the daily run, the group hubs).
 */
function written(level: Level): boolean {
  return level !== 'info' || (env as { LOG_LEVEL?: string }).LOG_LEVEL !== 'warn';
}

/** What a line may carry besides its level and message: plain values only. */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

/** `DrizzleQueryError ← Error: D1_ERROR: UNIQUE constraint failed: users.email` (no parameters). */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    if (!(e instanceof Error)) {
      parts.push(typeof e);
      break;
    }
    const reason = /^(?:D1_[A-Z_]+|SQLITE_[A-Z_]+)\b[^\n]*/.exec(e.message)?.[0];
    parts.push(reason ? `${e.name}: ${reason.slice(0, 200)}` : e.name);
    e = e.cause;
  }
  return parts.join(' ← ');
}

/** The class of what was thrown: `TypeError`, `DrizzleQueryError`, or `string` for a thrown string. */
export function errorClass(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

/** One line: `{"level":"info","msg":"request","route":"/api/events/:id",…}`. Undefined fields are left out. */
export function log(level: Level, msg: string, fields: LogFields = {}): void {
  if (!written(level)) return;
  const line = JSON.stringify({ level, msg, ...fields });
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.log(line);
}

/** Something failed: what, the error's class and description, and the context (a request id, a route…). */
export function logError(what: string, error: unknown, fields: LogFields = {}): void {
  log('error', what, { ...fields, errorClass: errorClass(error), error: describeError(error) });
}

/** Something went as it should (no data, only what happened and how much). */
export function logInfo(what: string, fields: LogFields = {}): void {
  log('info', what, fields);
}
