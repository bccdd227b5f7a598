import { and, eq, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import { accountKey, assertNotBlocked, settle } from '../../auth/backoff';
import { issueToken } from '../../auth/jwt';
import { qrCodeDataUrl } from '../../auth/qr-code';
import { dropRecoveryCodes, newRecoveryCodes } from '../../auth/recovery-codes';
import { accountCheckQuery, checkPassword, failuresOf, requireStepUp } from '../../auth/step-up';
import { throttle } from '../../auth/throttle';
import {
  decryptSecret,
  encryptSecret,
  matchingStep,
  newTotpSecret,
  secondFactorMatches,
  totpFor,
  wrongCode,
} from '../../auth/totp';
import { users } from '../../db/schema';
import { ApiError, invalidField } from '../../errors';
import type { AppRouteHandler } from '../../lib/create-router';
import { sendSecurityNotice } from '../../mail/security-notice';
import type * as routes from './two-factor.routes';

const alreadyEnabled = () => new ApiError('conflict', 'Two-factor authentication is already enabled; disable it first.');

export const setupTwoFactor: AppRouteHandler<typeof routes.setupTwoFactor> = async (c) => {
  const [caller] = await c.var.auth.check();
  await throttle(c, '2fa', caller.id);
  const db = c.var.db;
  const secret = newTotpSecret();
  const [row] = await db
    .update(users)
    .set({ totpPendingSecret: await encryptSecret(c.env, secret) })
    .where(and(eq(users.id, caller.id), isNull(users.totpSecret)))
    .returning({ email: users.email });
  if (!row) throw alreadyEnabled();
  const otpauth = totpFor(secret, row.email).toString();
  return c.json({ secret, otpauth, qrCodeUrl: qrCodeDataUrl(otpauth) }, 200);
};

/** Base32 as users type it: any case, maybe grouped with spaces. */
const normalizeSecret = (s: string) => s.replace(/[\s-]/g, '').toUpperCase();

export const activateTwoFactor: AppRouteHandler<typeof routes.activateTwoFactor> = async (c) => {
  const { code, secret, password } = c.req.valid('json');
  const db = c.var.db;
  const [caller, [user], [account]] = await c.var.auth.check((me) => [
    db.select({ active: users.totpSecret, pending: users.totpPendingSecret }).from(users).where(eq(users.id, me)).limit(1),
    accountCheckQuery(db, me),
  ]);
  await throttle(c, '2fa', caller.id);
  // A second factor set by a thief would lock the owner out for good: only a fresh sign-in may add one.
  const authTime = await requireStepUp(c, caller, { password, field: 'password', account });
  if (user?.active) throw alreadyEnabled();
  if (!user?.pending) throw new ApiError('conflict', 'No two-factor setup is pending; call /api/auth/2fa/setup first.');

  const pending = await decryptSecret(c.env, user.pending);
  if (secret !== undefined && normalizeSecret(secret) !== pending) {
    throw invalidField('secret', 'Does not match the secret from the latest setup');
  }
  const step = matchingStep(pending, code);
  if (step === null) throw new ApiError('invalid_code', 'The two-factor code is wrong.');

  // One batch: the pending secret must still be the one checked and the
  // code's step unused; the recovery codes and the end of every other
  // session happen only if that activation did.
  const recovery = await newRecoveryCodes(db, c.env.JWT_SECRET, caller.id);
  const [activated] = await db.batch([
    db
      .update(users)
      .set({
        totpSecret: user.pending,
        totpPendingSecret: null,
        totpLastStep: step,
        // Every other session ends; this one is kept, as the web app goes on using its token.
        tokenVersion: sql`${users.tokenVersion} + 1`,
        keptSessionId: caller.sessionId ?? null,
      })
      .where(
        and(
          eq(users.id, caller.id),
          eq(users.tokenVersion, caller.tokenVersion),
          eq(users.totpPendingSecret, user.pending),
          or(isNull(users.totpLastStep), lt(users.totpLastStep, step)),
        ),
      )
      .returning({ tokenVersion: users.tokenVersion }),
    ...recovery.statements(
      sql`exists (select 1 from users where id = ${caller.id} and totp_secret = ${user.pending} and totp_last_step = ${step})`,
    ),
  ]);
  if (!activated[0]) throw new ApiError('invalid_code', 'The two-factor code is wrong or was already used.');
  sendSecurityNotice(c, account!, 'two_factor_enabled');
  const session = await issueToken(c.env.JWT_SECRET, { sub: caller.id, tv: activated[0].tokenVersion, auth_time: authTime });
  return c.json({ message: 'Two-factor authentication is enabled.', ...session, recoveryCodes: recovery.codes }, 200);
};

export const disableTwoFactor: AppRouteHandler<typeof routes.disableTwoFactor> = async (c) => {
  const { password, code } = c.req.valid('json');
  const db = c.var.db;
  const [caller, [user], [account]] = await c.var.auth.check((me) => [
    db.select({ secret: users.totpSecret }).from(users).where(eq(users.id, me)).limit(1),
    accountCheckQuery(db, me),
  ]);
  await throttle(c, '2fa', caller.id);
  if (!user?.secret) throw new ApiError('conflict', 'Two-factor authentication is not enabled.');

  if (password !== undefined) {
    await checkPassword(c, caller.id, { hash: account?.hash, password, failures: failuresOf(account) });
  } else {
    const failures = failuresOf(account);
    assertNotBlocked(failures);
    await settle(
      c,
      accountKey(caller.id),
      failures,
      await secondFactorMatches(c.env, db, caller.id, user.secret, code!),
      wrongCode(),
    );
  }

  await db.batch([
    db
      .update(users)
      .set({ totpSecret: null, totpPendingSecret: null })
      .where(and(eq(users.id, caller.id), isNotNull(users.totpSecret))),
    dropRecoveryCodes(db, caller.id),
  ]);
  sendSecurityNotice(c, account!, 'two_factor_disabled');
  return c.json({ message: 'Two-factor authentication is disabled.' }, 200);
};
