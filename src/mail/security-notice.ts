/**
 * Security notices: the owner of an account hears of every change that an
 * attacker holding a session or a mailbox could make, in their mail language,
 * with what to do if it was not them.
 */
import type { Language } from '../db/schema';
import type { AppContext } from '../env';
import { afterResponse } from '../lib/after-response';
import { enqueueMail } from './index';
import type { SecurityEvent } from './templates';

export interface NoticeRecipient {
  email: string;
  name: string;
  emailLanguage: Language;
}

const stamp = (date: Date) => `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** Queued after the answer: a notice never slows or fails the change it reports. */
export function sendSecurityNotice(c: AppContext, to: NoticeRecipient, event: SecurityEvent, at = new Date()): void {
  afterResponse(
    c,
    enqueueMail(c.env, {
      to: to.email,
      template: 'security_notice',
      language: to.emailLanguage,
      data: { name: to.name, event, at: stamp(at) },
    }),
  );
}
