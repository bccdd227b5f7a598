/**
 * Constraint failures of D1 (also when wrapped by drizzle), and the one way a
 * handler turns one into the API's answer: a write races another request,
 * and the database's constraint, not a read before it, decides.
 */
import type { ApiError } from '../errors';

const CONSTRAINTS = {
  /** A second row with the same key (email, group name, ...). */
  unique: /UNIQUE constraint failed|SQLITE_CONSTRAINT_(UNIQUE|PRIMARYKEY)/i,
  /** The row it refers to is gone (deleted between our read and our write). */
  missingParent: /FOREIGN KEY constraint failed|SQLITE_CONSTRAINT_FOREIGNKEY/i,
};

export type Constraint = keyof typeof CONSTRAINTS;

function violates(error: unknown, constraint: Constraint): boolean {
  for (let e = error; e instanceof Error; e = e.cause) {
    if (CONSTRAINTS[constraint].test(e.message)) return true;
  }
  return false;
}

/** `write`'s result, or the API error mapped to the constraint it violated (any other failure is rethrown). */
export async function answeringConstraints<T>(
  write: Promise<T>,
  answers: Partial<Record<Constraint, () => ApiError>>,
): Promise<T> {
  try {
    return await write;
  } catch (error) {
    for (const [constraint, answer] of Object.entries(answers) as [Constraint, () => ApiError][]) {
      if (violates(error, constraint)) throw answer();
    }
    throw error;
  }
}
