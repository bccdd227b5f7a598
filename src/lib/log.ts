/**
 * Error logging that never carries secrets. A drizzle error's message holds
 * the statement's bound parameters (an email, a password hash, a temporary
 * password's hash, a token hash…), and other errors may quote what they were
 * given, so a log line names only the error classes and, for database
 * errors, SQLite's own reason: never a message as it came.
 */

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

/** One line for operators: what failed, where, why (by class), under which request id. */
export function logError(what: string, error: unknown, requestId?: string): void {
  console.error(`${requestId ? `[${requestId}] ` : ''}${what}: ${describeError(error)}`);
}

/** One line for operators about something that went as it should (no data, only what happened). */
export function logInfo(what: string): void {
  console.log(what);
}
