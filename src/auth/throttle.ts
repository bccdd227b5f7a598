/**
 * Throttling of credential endpoints with the Workers rate-limit bindings,
 * per client IP and per account. Checked before any password hashing.
 */
import type { AppContext } from '../env';
import { ApiError } from '../errors';

/** `password`: endpoints that check the current password of a signed-in user. */
export type ThrottleScope = 'register' | 'login' | 'forgot' | '2fa' | 'password';

const RETRY_AFTER_SECONDS = 60;

function clientIp(c: AppContext): string {
  return clientKey(c.req.header('CF-Connecting-IP') ?? c.req.header('X-Real-IP') ?? 'local');
}

/**
 * The throttling key of an address: IPv4 as is, IPv6 by its /64 prefix (one
 * subscriber usually holds a whole /64, so counting full addresses would give
 * an attacker 2^64 fresh keys).
 */
export function clientKey(address: string): string {
  if (!address.includes(':')) return address;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  const [head = '', tail = ''] = address.toLowerCase().split('%')[0]!.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
    : left;
  if (groups.length < 4) return address;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

export async function throttle(c: AppContext, scope: ThrottleScope, account?: string): Promise<void> {
  const checks = [c.env.IP_LIMITER.limit({ key: `${scope}:ip:${clientIp(c)}` })];
  if (account) checks.push(c.env.ACCOUNT_LIMITER.limit({ key: `${scope}:acct:${account}` }));
  const results = await Promise.all(checks);
  if (results.some((r) => !r.success)) {
    throw new ApiError('rate_limited', 'Too many attempts; try again later.', {
      headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) },
    });
  }
}
