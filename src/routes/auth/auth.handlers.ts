import { and, eq, sql } from 'drizzle-orm';
import { assertNotBlocked, clearFailures, failuresQuery, recordFailure, signInKey } from '../../auth/backoff';
import { issueToken } from '../../auth/jwt';
import { DUMMY_HASH, hashPassword, needsRehash, verifyPassword } from '../../auth/password';
import {
  consumeTemporaryPassword,
  hashTemporaryPassword,
  liveTemporaryPassword,
  newTemporaryPassword,
  TEMPORARY_PASSWORD_MINUTES,
  temporaryPasswordExpiry,
} from '../../auth/temporary-password';
import { throttle } from '../../auth/throttle';
import { secondFactorMatches, wrongCode } from '../../auth/totp';
import { replacedFeedToken } from '../../calendar/feed-token';
import { answeringConstraints } from '../../db/errors';
import { temporaryPasswords, users } from '../../db/schema';
import { ApiError } from '../../errors';
import { afterResponse } from '../../lib/after-response';
import type { AppRouteHandler } from '../../lib/create-router';
import { logError } from '../../lib/log';
import { enqueueMail } from '../../mail';
import { activeAdminsQuery, announceNewAccount, noticeWindowQuery } from '../../mail/new-accounts';
import { sendSecurityNotice } from '../../mail/security-notice';
import { ownUserViewQuery, toOwnUserView } from '../../users/user-view';
import type * as routes from './auth.routes';

export const register: AppRouteHandler<typeof routes.register> = async (c) => {
  const body = c.req.valid('json');
  await throttle(c, 'register', body.email);
  const db = c.var.db;
  const language = body.language ?? 'en';

  const [taken] = await db.select({ id: users.id }).from(users).where(eq(users.email, body.email)).limit(1);
  if (taken) throw new ApiError('email_taken', 'An account with this email exists.');

  const id = crypto.randomUUID();
  const passwordHash = await hashPassword(body.password);
  const createdAt = new Date().toISOString();
  // Wrong passwords tried at this email while nobody had it were counted like
  // any others (so unknown emails answer like known ones); they are no
  // attempts against the account created now, which starts with a clean count.
  const failureKey = await signInKey(c, body.email);
  const [, admins, [window]] = await answeringConstraints(
    db.batch([
      db
        .insert(users)
        .values({ id, name: body.name, email: body.email, passwordHash, language, emailLanguage: language, createdAt }),
      activeAdminsQuery(db),
      noticeWindowQuery(db),
      clearFailures(db, failureKey),
    ]),
    { unique: () => new ApiError('email_taken', 'An account with this email exists.') },
  );

  announceNewAccount(c, { name: body.name, email: body.email, createdAt }, admins, window);
  return c.json({ message: 'Account created. An administrator must activate it before you can log in.', userId: id }, 201);
};

export const login: AppRouteHandler<typeof routes.login> = async (c) => {
  const { email, password, code } = c.req.valid('json');
  await throttle(c, 'login', email);
  const db = c.var.db;
  const now = new Date().toISOString();
  const failureKey = await signInKey(c, email);

  // One round trip loads the user, a matching live temporary password and the
  // email's failure count, so a wrong password costs the same trips, one
  // argon2 verification and one counted failure whether or not the email
  // exists or has a temporary password pending.
  const [[user], [failures]] = await db.batch([
    db
      .select({
        id: users.id,
        name: users.name,
        email: users.email,
        emailLanguage: users.emailLanguage,
        passwordHash: users.passwordHash,
        isActive: users.isActive,
        tokenVersion: users.tokenVersion,
        totpSecret: users.totpSecret,
        // Named apart: a batch's rows come back keyed by column name, and users has an `id` too.
        temporaryPasswordId: sql<string | null>`${temporaryPasswords.id}`.as('temporary_password_id'),
      })
      .from(users)
      .leftJoin(temporaryPasswords, liveTemporaryPassword(await hashTemporaryPassword(c.env.JWT_SECRET, password), now))
      .where(eq(users.email, email))
      .limit(1),
    failuresQuery(db, failureKey),
  ]);
  assertNotBlocked(failures);

  // Unknown emails are verified against a dummy hash, so timing reveals nothing.
  const passwordMatches = await verifyPassword(user?.passwordHash ?? DUMMY_HASH, password);
  const temporaryPasswordId = passwordMatches ? null : (user?.temporaryPasswordId ?? null);
  if (!user || (!passwordMatches && !temporaryPasswordId)) {
    await recordFailure(db, failureKey);
    throw new ApiError('invalid_credentials', 'Wrong email or password.');
  }
  if (!user.isActive) throw new ApiError('account_inactive', 'This account has not been activated yet.');

  if (user.totpSecret) {
    if (!code) return c.json({ require2fa: true as const }, 200);
    await throttle(c, '2fa', user.id);
    // Wrong codes count like wrong passwords (RFC 6238 §5.2).
    if (!(await secondFactorMatches(c.env, db, user.id, user.totpSecret, code))) {
      await recordFailure(db, failureKey);
      throw wrongCode();
    }
  }
  if (temporaryPasswordId && !(await consumeTemporaryPassword(db, temporaryPasswordId, now))) {
    throw new ApiError('invalid_credentials', 'Wrong email or password.');
  }

  // mustChangePassword waives the current password at change-password, so a
  // temporary-password login revokes every older token and calendar URL: only
  // its own session gets that waiver.
  const viaTemporary = temporaryPasswordId !== null;
  const set = viaTemporary
    ? {
        lastLoginAt: now,
        mustChangePassword: true,
        tokenVersion: sql`${users.tokenVersion} + 1`,
        ...(await replacedFeedToken(c.env.JWT_SECRET, user.id)),
      }
    : { lastLoginAt: now, ...(needsRehash(user.passwordHash) ? { passwordHash: await hashPassword(password) } : {}) };
  const guard = viaTemporary ? and(eq(users.id, user.id), eq(users.tokenVersion, user.tokenVersion)) : eq(users.id, user.id);

  const [updated, rows] = await db.batch([
    db.update(users).set(set).where(guard).returning({ tokenVersion: users.tokenVersion }),
    ownUserViewQuery(db, user.id),
    ...(failures ? [clearFailures(db, failureKey)] : []),
  ]);
  // A temporary-password login that lost a race with a revocation logs nobody in.
  if (!updated[0]) throw new ApiError('invalid_credentials', 'Wrong email or password.');
  if (viaTemporary) sendSecurityNotice(c, user, 'temporary_password_used');
  const tokenVersion = viaTemporary ? updated[0].tokenVersion : user.tokenVersion;
  const claims = { sub: user.id, tv: tokenVersion, auth_time: Math.floor(Date.now() / 1000) };
  return c.json({ ...(await issueToken(c.env.JWT_SECRET, claims)), user: toOwnUserView(rows[0]!) }, 200);
};

const FORGOT_ANSWER = 'If an active account uses this email, a temporary password is on its way.';

export const forgotPassword: AppRouteHandler<typeof routes.forgotPassword> = async (c) => {
  const { email } = c.req.valid('json');
  await throttle(c, 'forgot', email);
  const db = c.var.db;

  const [user] = await db
    .select({ id: users.id, name: users.name, isActive: users.isActive, language: users.emailLanguage })
    .from(users)
    .where(eq(users.email, email))
    .limit(1);

  if (user?.isActive) {
    // Hashed, stored and mailed after the answer: a known account must not answer slower.
    const password = newTemporaryPassword();
    const expiresAt = temporaryPasswordExpiry();
    afterResponse(
      c,
      hashTemporaryPassword(c.env.JWT_SECRET, password)
        .then((passwordHash) => db.insert(temporaryPasswords).values({ userId: user.id, passwordHash, expiresAt }))
        .then(() =>
          enqueueMail(c.env, {
            to: email,
            template: 'temporary_password',
            language: user.language,
            data: { name: user.name, password, minutes: TEMPORARY_PASSWORD_MINUTES },
          }),
        )
        .catch((error) => logError('temporary password not stored', error)),
    );
  }
  return c.json({ message: FORGOT_ANSWER }, 200);
};
