/** TOTP codes as an authenticator app would show them, now or a few steps later. */
import { Secret, TOTP } from 'otpauth';

export function totpCode(base32Secret: string, stepsAhead = 0): string {
  const totp = new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(base32Secret) });
  return totp.generate({ timestamp: Date.now() + stepsAhead * 30_000 });
}
