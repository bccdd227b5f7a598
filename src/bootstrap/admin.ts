/**
 * The first global admin comes from ADMIN_EMAIL / ADMIN_PASSWORD (secrets),
 * only while no active global admin exists. Nothing else creates admins but
 * an admin; there is no default password.
 */
import { and, eq, sql } from 'drizzle-orm';
import { createMiddleware } from 'hono/factory';
import { hashPassword } from '../auth/password';
import { passwordProblem } from '../auth/password-policy';
import type { Database } from '../db/client';
import { users } from '../db/schema';
import type { Bindings, HonoEnv } from '../env';
import { normalizeEmail } from '../lib/email';
import { log, logError } from '../lib/log';

export type BootstrapResult = 'created' | 'exists' | 'not_configured' | 'weak_password';

export async function bootstrapAdmin(
  env: Pick<Bindings, 'ADMIN_EMAIL' | 'ADMIN_PASSWORD'>,
  db: Database,
): Promise<BootstrapResult> {
  const email = env.ADMIN_EMAIL ? normalizeEmail(env.ADMIN_EMAIL) : '';
  const password = env.ADMIN_PASSWORD ?? '';
  if (!email || !password) return 'not_configured';
  // The admin's password meets the policy every other password meets; a
  // refusal is final for this configuration, not retried on every request.
  const problem = passwordProblem(password);
  if (problem) {
    log('error', 'ADMIN_PASSWORD does not meet the password policy; no admin created', { problem });
    return 'weak_password';
  }

  const existing = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.isAdmin, true), eq(users.isActive, true)))
    .limit(1);
  if (existing.length > 0) return 'exists';

  const passwordHash = await hashPassword(password);
  // An account already registered under that email becomes the admin, with
  // the configured password and all its old tokens revoked.
  await db
    .insert(users)
    .values({ name: 'Administrator', email, passwordHash, isAdmin: true, isActive: true })
    .onConflictDoUpdate({
      target: users.email,
      set: { isAdmin: true, isActive: true, passwordHash, tokenVersion: sql`${users.tokenVersion} + 1` },
    });
  return 'created';
}

/** Runs once per isolate, on the first request; failures are retried on the next one. */
let done: Promise<unknown> | undefined;
export const bootstrapOnce = createMiddleware<HonoEnv>(async (c, next) => {
  done ??= bootstrapAdmin(c.env, c.var.db).catch((error) => {
    done = undefined;
    logError('admin bootstrap failed', error);
  });
  await done;
  await next();
});
