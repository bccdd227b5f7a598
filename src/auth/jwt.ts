/** HS256 session tokens. The algorithm is pinned on both sides; iss/aud/exp checked. */
import jwt from '@tsndr/cloudflare-worker-jwt';
import { hmacKey } from '../lib/hmac';
import { SizedMemo } from '../lib/sized-memo';

export const ISSUER = 'cake-planner';
export const AUDIENCE = 'cake-planner-api';
const TOKEN_TTL_SECONDS = 7 * 24 * 60 * 60;

export interface SessionClaims {
  /** user id */
  sub: string;
  /** token version: must equal users.token_version, else the token is revoked */
  tv: number;
  /**
   * When the user last proved who they are in this session (sign-in, or the
   * password sent with a step-up), seconds since the epoch (OIDC `auth_time`).
   * Account-changing actions need it recent (src/auth/step-up.ts).
   */
  auth_time?: number;
  /** The session's id (JWT `jti`). */
  jti?: string;
}

export async function issueToken(secret: string, claims: SessionClaims): Promise<{ token: string; expiresAt: string }> {
  const iat = Math.floor(Date.now() / 1000);
  const exp = iat + TOKEN_TTL_SECONDS;
  const token = await jwt.sign({ ...claims, iss: ISSUER, aud: AUDIENCE, iat, exp, jti: crypto.randomUUID() }, secret, {
    algorithm: 'HS256',
  });
  return { token, expiresAt: new Date(exp * 1000).toISOString() };
}

/** What a valid token says about its session, in the app's own terms (claims are the wire's). */
export interface Session {
  userId: string;
  tokenVersion: number;
  /** `auth_time` (seconds): when the user last proved who they are in this session. */
  signedInAt?: number;
  /** `jti` */
  sessionId?: string;
}

/**
 * Tokens this isolate has verified, with their expiry: a client sends the same
 * token with every request, and decoding and verifying it again cost about as
 * much as the rest of a small request's own work. Only the signature check is
 * remembered: expiry is checked on every use, and revocation, deactivation and
 * the caller's rights are read from D1 with every request as before. Keyed by
 * token and checked against the secret (a rotated secret verifies anew; the
 * secret is the binding's one string, not a copy). Bounded by bytes, the
 * token included: 4 MB holds some 5,000 sessions.
 */
const VERIFIED_TOKENS_BYTES = 4 * 1024 * 1024;
/** A session: a small object of two ids, a few numbers and the secret's reference. */
const SESSION_BYTES = 320;
const verifiedTokens = new SizedMemo<{ secret: string; expiresAt: number; session: Session }>(
  VERIFIED_TOKENS_BYTES,
  () => SESSION_BYTES,
);

/** The session of a valid token, or null for anything else. */
export async function readToken(secret: string, token: string): Promise<Session | null> {
  const now = Math.floor(Date.now() / 1000);
  const known = verifiedTokens.get(token);
  if (known && known.secret === secret) {
    if (known.expiresAt > now) return known.session;
    verifiedTokens.delete(token);
    return null;
  }
  const verified = await verifyToken(secret, token, now);
  if (!verified) return null;
  verifiedTokens.set(token, { secret, ...verified });
  return verified.session;
}

async function verifyToken(secret: string, token: string, now: number): Promise<{ expiresAt: number; session: Session } | null> {
  try {
    const verified = await jwt.verify<{ tv?: unknown }>(token, await hmacKey(secret), { algorithm: 'HS256' });
    if (verified?.header.alg !== 'HS256') return null;
    const { payload } = verified;
    if (payload.iss !== ISSUER || payload.aud !== AUDIENCE) return null;
    if (typeof payload.exp !== 'number' || payload.exp <= now) return null;
    if (typeof payload.sub !== 'string' || typeof payload.tv !== 'number') return null;
    const { auth_time, jti } = payload as { auth_time?: unknown; jti?: unknown };
    const session: Session = {
      userId: payload.sub,
      tokenVersion: payload.tv,
      ...(typeof auth_time === 'number' ? { signedInAt: auth_time } : {}),
      ...(typeof jti === 'string' ? { sessionId: jti } : {}),
    };
    return { expiresAt: payload.exp, session: Object.freeze(session) };
  } catch {
    return null;
  }
}
