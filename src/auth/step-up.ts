/**
 * Step-up for actions that could take an account over (enabling 2FA,
 * changing the password without the current one, deleting the account,
 * rotating the calendar URL): a bearer token alone is not enough unless its
 * sign-in is at most 10 minutes old. The user app asks for these right after
 * signing in, so its flows keep working; a token stolen later does not.
 * Sending the current password instead re-proves the user on the spot.
 */
import { eq } from 'drizzle-orm';
import type { Database } from '../db/client';
import { signInFailures, users } from '../db/schema';
import type { AppContext } from '../env';
import { ApiError } from '../errors';
import { accountKey, accountKeyOf, assertNotBlocked, type FailureRow, settle } from './backoff';
import type { Caller } from './caller';
import { verifyPassword } from './password';
import { throttle } from './throttle';

export const STEP_UP_SECONDS = 10 * 60;

const nowSeconds = () => Math.floor(Date.now() / 1000);

function signedInRecently(caller: Caller): boolean {
  return caller.signedInAt !== undefined && nowSeconds() - caller.signedInAt <= STEP_UP_SECONDS;
}

/** A wrong password for a signed-in user's check: counted against the account. */
export async function checkPassword(
  c: AppContext,
  userId: string,
  check: { hash: string | undefined; password: string; failures: FailureRow },
  message = 'Wrong password.',
): Promise<void> {
  await throttle(c, 'password', userId);
  assertNotBlocked(check.failures);
  const ok = check.hash !== undefined && (await verifyPassword(check.hash, check.password));
  await settle(c, accountKey(userId), check.failures, ok, new ApiError('invalid_credentials', message));
}

/**
 * Passes when the session is fresh or `password` is right (then returns the
 * new sign-in time for a re-issued token); else 403 reauthentication_required
 * naming the field to send.
 */
export async function requireStepUp(
  c: AppContext,
  caller: Caller,
  proof: { password: string | undefined; field: string; account: AccountCheck | undefined; wrong?: string },
): Promise<number | undefined> {
  if (proof.password !== undefined) {
    const check = { hash: proof.account?.hash, password: proof.password, failures: failuresOf(proof.account) };
    await checkPassword(c, caller.id, check, proof.wrong);
    return nowSeconds();
  }
  if (signedInRecently(caller)) return caller.signedInAt;
  throw new ApiError(
    'reauthentication_required',
    `This needs a sign-in from the last ${STEP_UP_SECONDS / 60} minutes: sign in again, or send \`${proof.field}\` with the current password.`,
  );
}

/** What a password check of the signed-in user needs, in one statement for the token check's batch. */
export function accountCheckQuery(db: Database, userId: string) {
  return db
    .select({
      hash: users.passwordHash,
      email: users.email,
      name: users.name,
      emailLanguage: users.emailLanguage,
      failures: signInFailures.failures,
      blockedUntil: signInFailures.blockedUntil,
    })
    .from(users)
    .leftJoin(signInFailures, eq(signInFailures.key, accountKeyOf(users.id)))
    .where(eq(users.id, userId))
    .limit(1);
}

export type AccountCheck = Awaited<ReturnType<typeof accountCheckQuery>>[number];

export const failuresOf = (row: AccountCheck | undefined): FailureRow =>
  row?.failures == null ? undefined : { failures: row.failures, blockedUntil: row.blockedUntil };
