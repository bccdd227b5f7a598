/**
 * New-account mails to the global admins, coalesced: anyone may register,
 * and a registration loop must not flood the admins' mailboxes. The first
 * registration after a quiet spell is mailed at once and opens a 10-minute
 * window; the accounts registered during it are listed in one digest mail
 * per admin when it closes (a queue message delayed by the window).
 */
import { and, asc, eq, gt, lte } from 'drizzle-orm';
import { countInWindow } from '../auth/budgets';
import { createDb, type Database } from '../db/client';
import { type Language, users } from '../db/schema';
import type { AppContext, Bindings } from '../env';
import { afterResponse } from '../lib/after-response';
import { logError } from '../lib/log';
import { enqueueMail, type OutgoingMail } from './index';

const NOTICE_WINDOW_MS = 10 * 60 * 1000;
/** One digest lists at most this many accounts (a longer flood is an incident, not a list to read). */
const DIGEST_MAX = 200;

/** The queue message that closes a window. */
export interface NewAccountDigest {
  kind: 'new_account_digest';
  /** created_at of the account mailed at once: the digest lists those after it... */
  after: string;
  /** ...up to the window's end (ISO). */
  until: string;
}

export const isDigest = (body: unknown): body is NewAccountDigest =>
  typeof body === 'object' && body !== null && (body as { kind?: unknown }).kind === 'new_account_digest';

export const noticeWindowQuery = (db: Database) => countInWindow(db, 'new-account-mail', NOTICE_WINDOW_MS);

export const activeAdminsQuery = (db: Database) =>
  db
    .select({ email: users.email, language: users.emailLanguage })
    .from(users)
    .where(and(eq(users.isAdmin, true), eq(users.isActive, true)));

type Admin = { email: string; language: Language };

/** After a registration committed: mail now if it opened a window, else leave it to that window's digest. */
export function announceNewAccount(
  c: AppContext,
  account: { name: string; email: string; createdAt: string },
  admins: Admin[],
  window: { used: number; windowStart: number } | undefined,
): void {
  if (window && window.used > 1) return;
  const until = new Date((window?.windowStart ?? Date.now()) + NOTICE_WINDOW_MS).toISOString();
  const digest: NewAccountDigest = { kind: 'new_account_digest', after: account.createdAt, until };
  afterResponse(
    c,
    Promise.all([
      enqueueMail(
        c.env,
        ...admins.map((a) => ({
          to: a.email,
          template: 'new_account' as const,
          language: a.language,
          data: { name: account.name, email: account.email },
        })),
      ),
      c.env.MAIL_QUEUE.send(digest as never, { delaySeconds: NOTICE_WINDOW_MS / 1000 }).catch((e) =>
        logError('new-account digest not queued', e),
      ),
    ]),
  );
}

/** The mails a closing window sends: one per active admin listing the accounts, or none when nobody else came. */
export async function digestMails(env: Bindings, digest: NewAccountDigest): Promise<OutgoingMail[]> {
  const db = createDb(env.DB);
  const [accounts, admins] = await db.batch([
    db
      .select({ name: users.name, email: users.email })
      .from(users)
      .where(and(gt(users.createdAt, digest.after), lte(users.createdAt, digest.until)))
      .orderBy(asc(users.createdAt))
      .limit(DIGEST_MAX),
    activeAdminsQuery(db),
  ]);
  if (accounts.length === 0) return [];
  return admins.map((a) => ({ to: a.email, template: 'new_accounts' as const, language: a.language, data: { accounts } }));
}
