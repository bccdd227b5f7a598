/** TOTP codes as an authenticator app would show them, now or a few steps later. */
import { Secret, TOTP } from 'otpauth';
import { call, json } from './api';

export function totpCode(base32Secret: string, stepsAhead = 0): string {
  const totp = new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(base32Secret) });
  return totp.generate({ timestamp: Date.now() + stepsAhead * 30_000 });
}

/** The code for an exact moment (for tests of the accepted window). */
export function totpCodeAt(base32Secret: string, timestamp: number): string {
  const totp = new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(base32Secret) });
  return totp.generate({ timestamp });
}

/**
 * Waits while the current 30 s step ends within `marginMs`, so codes made
 * "one step ago" are still one step ago when the Worker checks them.
 */
export async function clearOfStepBoundary(marginMs = 3000): Promise<void> {
  const left = 30_000 - (Date.now() % 30_000);
  if (left < marginMs) await new Promise((resolve) => setTimeout(resolve, left + 200));
}

export interface TwoFactorOn {
  secret: string;
  activationCode: string;
  /** The fresh session the activation answered with (it ends every other one). */
  token: string;
  recoveryCodes: string[];
}

/** Sets up and activates 2FA for a freshly signed-in user (activation uses the current step). */
export async function enableTwoFactor(token: string): Promise<TwoFactorOn> {
  const { secret } = await json<{ secret: string }>(call('POST', '/api/auth/2fa/setup', { token }), 200);
  const activationCode = totpCode(secret);
  const activated = await json<{ token: string; recoveryCodes: string[] }>(
    call('POST', '/api/auth/2fa/activate', { token, body: { secret, code: activationCode } }),
    200,
  );
  return { secret, activationCode, token: activated.token, recoveryCodes: activated.recoveryCodes };
}

/** A six-digit code that matches none of the steps the Worker could accept around now (a fixed one might, by chance). */
export function wrongCode(base32Secret: string): string {
  const near = new Set([-2, -1, 0, 1, 2].map((step) => totpCode(base32Secret, step)));
  return ['000000', '111111', '222222', '333333', '444444', '555555'].find((code) => !near.has(code))!;
}

/**
 * Whether the code of `stepsAhead` (e.g. -2: two steps ago) differs from the
 * codes accepted now (the previous, current and next step). A far code equals
 * a near one by chance once in a few hundred thousand secrets; a test that
 * needs a far code to be refused takes another secret then.
 */
export const farFromAccepted = (base32Secret: string, stepsAhead: number) =>
  ![-1, 0, 1].some((step) => totpCode(base32Secret, step) === totpCode(base32Secret, stepsAhead));
