/**
 * The caller of an authenticated request, loaded together with the token
 * check: one row with the user's flags and memberships (JSON-aggregated), so
 * checking revocation costs a single statement that can ride in a handler's
 * own `db.batch()`.
 */
import { and, eq, or, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { type Language, type Role, users } from '../db/schema';
import type { Session } from './jwt';

interface CallerGroup {
  id: string;
  role: Role;
}

export interface Caller {
  id: string;
  name: string;
  isAdmin: boolean;
  mustChangePassword: boolean;
  language: Language;
  groups: CallerGroup[];
  /** The user's current token version, which this session speaks for (see `keptSessionId`). */
  tokenVersion: number;
  /** This request's session (JWT `jti`), when its token names one. */
  sessionId?: string;
  /** When the user last proved who they are in this session (seconds; src/auth/step-up.ts). */
  signedInAt?: number;
}

/** The caller's row by user id, or by a condition on `users` where only that condition knows the id. */
export function callerQuery(db: Database, user: string | SQL) {
  return db
    .select({
      id: users.id,
      name: users.name,
      isAdmin: users.isAdmin,
      isActive: users.isActive,
      mustChangePassword: users.mustChangePassword,
      tokenVersion: users.tokenVersion,
      keptSessionId: users.keptSessionId,
      language: users.language,
      groups: sql<string>`(select json_group_array(json_object('id', m.group_id, 'role', m.role)) from memberships m where m.user_id = ${users.id})`,
    })
    .from(users)
    .where(typeof user === 'string' ? eq(users.id, user) : user)
    .limit(1);
}

export type CallerRow = Awaited<ReturnType<typeof callerQuery>>[number];

/**
 * The caller if the row still matches the session, else null (revoked,
 * inactive, deleted). A session matches when its token version is the
 * user's, or when it is the session kept through its own 2FA activation.
 */
export function toCaller(
  row: CallerRow | undefined,
  { tokenVersion, sessionId, signedInAt }: Pick<Session, 'tokenVersion' | 'sessionId' | 'signedInAt'>,
): Caller | null {
  if (!row?.isActive) return null;
  const kept = sessionId !== undefined && row.keptSessionId === sessionId && tokenVersion === row.tokenVersion - 1;
  if (row.tokenVersion !== tokenVersion && !kept) return null;
  return {
    id: row.id,
    name: row.name,
    isAdmin: row.isAdmin,
    mustChangePassword: row.mustChangePassword,
    language: row.language,
    groups: JSON.parse(row.groups) as CallerGroup[],
    tokenVersion: row.tokenVersion,
    ...(sessionId !== undefined ? { sessionId } : {}),
    ...(signedInAt !== undefined ? { signedInAt } : {}),
  };
}

/**
 * What `toCaller` checks of the row (and, unless `allowPasswordChange`, that
 * no password change is pending), as a SQL condition: a statement sent in the
 * same batch as the session check and made conditional on it changes nothing
 * for a session that check refuses. Keep the two in step.
 */
export function sessionMayAct(
  { userId, tokenVersion, sessionId }: Pick<Session, 'userId' | 'tokenVersion' | 'sessionId'>,
  allowPasswordChange = false,
): SQL {
  const current = eq(users.tokenVersion, tokenVersion);
  const kept =
    sessionId === undefined ? undefined : and(eq(users.keptSessionId, sessionId), eq(users.tokenVersion, tokenVersion + 1));
  const conditions = and(
    eq(users.id, userId),
    eq(users.isActive, true),
    kept ? or(current, kept) : current,
    allowPasswordChange ? undefined : eq(users.mustChangePassword, false),
  );
  return sql`exists (select 1 from ${users} where ${conditions})`;
}
