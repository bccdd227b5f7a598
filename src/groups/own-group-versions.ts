/**
 * What a caller's remembered pages (src/lib/remembered-pages.ts) take from
 * their own groups: `id:role:<version>` per group in id order, or null when
 * in none. The role is part of it because it decides what the caller sees
 * and may do in the group. `version` is built from `ownGroup`'s columns.
 */
import { sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { groups } from '../db/schema';

export const ownGroup = alias(groups, 'og');

/** For a statement over `users` (the caller's row). */
export const ownGroupVersions = (version: SQL) =>
  sql<string | null>`(select group_concat(v, ',') from (
    select om.group_id || ':' || om.role || ':' || ${version} as v
    from memberships om join groups og on og.id = om.group_id
    where om.user_id = "users"."id" order by om.group_id))`;
