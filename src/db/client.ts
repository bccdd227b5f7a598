import { drizzle } from 'drizzle-orm/d1';

export type Database = ReturnType<typeof createDb>;

/**
 * One per request. Without a schema: the API uses the query builder only, and
 * drizzle would otherwise build its relational config from every table anew.
 */
export function createDb(d1: D1Database) {
  return drizzle(d1);
}
