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
