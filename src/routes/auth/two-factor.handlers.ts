import type { RouteHandler } from '@hono/zod-openapi';
import { and, eq, isNotNull, isNull, lt, or } from 'drizzle-orm';
import { verifyPassword } from '../../auth/password';
import { qrCodeDataUrl } from '../../auth/qr-code';
import { throttle } from '../../auth/throttle';
import { decryptSecret, encryptSecret, matchingStep, newTotpSecret, totpFor, verifyLoginCode } from '../../auth/totp';
import { users } from '../../db/schema';
import type { HonoEnv } from '../../env';
import { ApiError } from '../../errors';
import type { activateTwoFactor, disableTwoFactor, setupTwoFactor } from './two-factor.routes';

const alreadyEnabled = () => new ApiError('conflict', 'Two-factor authentication is already enabled; disable it first.');

export const postSetupTwoFactor: RouteHandler<typeof setupTwoFactor, HonoEnv> = async (c) => {
  const caller = c.var.caller;
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

export const postActivateTwoFactor: RouteHandler<typeof activateTwoFactor, HonoEnv> = async (c) => {
  const caller = c.var.caller;
  const { code, secret } = c.req.valid('json');
  await throttle(c, '2fa', caller.id);
  const db = c.var.db;

  const [user] = await db
    .select({ active: users.totpSecret, pending: users.totpPendingSecret })
    .from(users)
    .where(eq(users.id, caller.id))
    .limit(1);
  if (user?.active) throw alreadyEnabled();
  if (!user?.pending) throw new ApiError('conflict', 'No two-factor setup is pending; call /api/auth/2fa/setup first.');

  const pending = await decryptSecret(c.env, user.pending);
  if (secret !== undefined && normalizeSecret(secret) !== pending) {
    const message = 'Does not match the secret from the latest setup';
    throw new ApiError('validation_failed', `secret: ${message}`, { errors: [{ path: 'secret', message }] });
  }
  const step = matchingStep(pending, code);
  if (step === null) throw new ApiError('invalid_code', 'The two-factor code is wrong.');

  // The pending secret must still be the one checked, and the code's step unused.
  const activated = await db
    .update(users)
    .set({ totpSecret: user.pending, totpPendingSecret: null, totpLastStep: step })
    .where(
      and(
        eq(users.id, caller.id),
        eq(users.totpPendingSecret, user.pending),
        or(isNull(users.totpLastStep), lt(users.totpLastStep, step)),
      ),
    )
    .returning({ id: users.id });
  if (activated.length === 0) throw new ApiError('invalid_code', 'The two-factor code is wrong or was already used.');
  return c.json({ message: 'Two-factor authentication is enabled.' }, 200);
};

export const postDisableTwoFactor: RouteHandler<typeof disableTwoFactor, HonoEnv> = async (c) => {
  const caller = c.var.caller;
  const { password, code } = c.req.valid('json');
  await throttle(c, '2fa', caller.id);
  const db = c.var.db;

  const [user] = await db
    .select({ passwordHash: users.passwordHash, secret: users.totpSecret })
    .from(users)
    .where(eq(users.id, caller.id))
    .limit(1);
  if (!user?.secret) throw new ApiError('conflict', 'Two-factor authentication is not enabled.');

  if (password !== undefined) {
    if (!(await verifyPassword(user.passwordHash, password))) {
      throw new ApiError('invalid_credentials', 'Wrong password.');
    }
  } else {
    await verifyLoginCode(c.env, db, caller.id, user.secret, code!);
  }

  await db
    .update(users)
    .set({ totpSecret: null, totpPendingSecret: null })
    .where(and(eq(users.id, caller.id), isNotNull(users.totpSecret)));
  return c.json({ message: 'Two-factor authentication is disabled.' }, 200);
};
