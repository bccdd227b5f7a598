/**
 * Throttling of credential endpoints with the Workers rate-limit bindings,
 * per client IP and per account. Checked before any password hashing.
 */
import type { Context } from 'hono';
import type { HonoEnv } from '../env';
import { ApiError } from '../errors';

/** `password`: endpoints that check the current password of a signed-in user. */
export type ThrottleScope = 'register' | 'login' | 'forgot' | '2fa' | 'password';

const RETRY_AFTER_SECONDS = 60;

export function clientIp(c: Context<HonoEnv>): string {
  return c.req.header('CF-Connecting-IP') ?? c.req.header('X-Real-IP') ?? 'local';
}

export async function throttle(c: Context<HonoEnv>, scope: ThrottleScope, account?: string): Promise<void> {
  const checks = [c.env.IP_LIMITER.limit({ key: `${scope}:ip:${clientIp(c)}` })];
  if (account) checks.push(c.env.ACCOUNT_LIMITER.limit({ key: `${scope}:acct:${account}` }));
  const results = await Promise.all(checks);
  if (results.some((r) => !r.success)) {
    throw new ApiError('rate_limited', 'Too many attempts; try again later.', {
      headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) },
    });
  }
}
