/** Recognises constraint failures of D1 (also when wrapped by drizzle). */
export function isUniqueViolation(error: unknown): boolean {
  for (let e = error; e instanceof Error; e = e.cause) {
    if (/UNIQUE constraint failed|SQLITE_CONSTRAINT_(UNIQUE|PRIMARYKEY)/i.test(e.message)) return true;
  }
  return false;
}
