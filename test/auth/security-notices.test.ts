/**
 * The owner hears of every change to what guards their account, and an
 * attacker who once held a session loses the calendar feed with it.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { renderMail, SECURITY_EVENTS } from '../../src/mail/templates';
import { adminToken, call, createUser, expectProblem, json, type TestUser } from '../helpers/api';
import { callWithMailbox, temporaryPasswordOf } from '../helpers/mailbox';
import { totpCode } from '../helpers/totp';

const noticeFor = (u: TestUser, event: string, language = 'en') => ({
  to: u.email,
  template: 'security_notice',
  language,
  data: { name: u.name, event, at: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/) },
});

describe('security notices', () => {
  it('tell the owner, in their mail language, of enabling and disabling 2FA', async () => {
    const u = await createUser({ language: 'de' });
    const { secret } = await json(call('POST', '/api/auth/2fa/setup', { token: u.token }), 200);
    const on = await callWithMailbox('POST', '/api/auth/2fa/activate', {
      token: u.token,
      body: { secret, code: totpCode(secret) },
    });
    const { token } = await json(on.res, 200);
    expect(on.mails).toEqual([noticeFor(u, 'two_factor_enabled', 'de')]);

    const off = await callWithMailbox('POST', '/api/auth/2fa/disable', { token, body: { password: u.password } });
    await json(off.res, 200);
    expect(off.mails).toEqual([noticeFor(u, 'two_factor_disabled', 'de')]);
  });

  it('tell of a password change, a temporary-password sign-in and an admin’s forced change', async () => {
    const u = await createUser();
    const changed = await callWithMailbox('POST', '/api/user/change-password', {
      token: u.token,
      body: { newPassword: 'Another-Cake-Pass-3' },
    });
    await json(changed.res, 200);
    expect(changed.mails).toEqual([noticeFor(u, 'password_changed')]);

    const temporary = await temporaryPasswordOf(u.email);
    const signIn = await callWithMailbox('POST', '/api/auth/login', { body: { email: u.email, password: temporary } });
    await json(signIn.res, 200);
    expect(signIn.mails).toEqual([noticeFor(u, 'temporary_password_used')]);

    const forced = await callWithMailbox('POST', '/api/admin/users/force-password-change', {
      token: await adminToken(),
      body: { userId: u.id, mustChange: true },
    });
    await json(forced.res, 200);
    expect(forced.mails).toEqual([noticeFor(u, 'password_change_forced')]);
  });

  it('are not sent for a refused change', async () => {
    const u = await createUser();
    const wrong = await callWithMailbox('POST', '/api/user/change-password', {
      token: u.token,
      body: { currentPassword: 'Not-My-Password-1', newPassword: 'Another-Cake-Pass-3' },
    });
    await expectProblem(wrong.res, 401, 'invalid_credentials');
    expect(wrong.mails).toEqual([]);
  });

  it('say what happened, when, and what to do, in both languages', () => {
    for (const event of SECURITY_EVENTS) {
      for (const language of ['de', 'en'] as const) {
        const mail = renderMail('security_notice', language, { name: 'Anna', event, at: '2026-12-01 09:30 UTC' });
        expect(mail.subject.length, `${event} ${language}`).toBeGreaterThan(20);
        expect(mail.text).toContain('Anna');
        expect(mail.text).toContain('2026-12-01 09:30 UTC');
        expect(mail.text).toMatch(language === 'de' ? /Passwort vergessen/ : /Forgot password/);
      }
    }
    const de = renderMail('security_notice', 'de', { name: 'Anna', event: 'password_changed', at: 'x' });
    const en = renderMail('security_notice', 'en', { name: 'Anna', event: 'password_changed', at: 'x' });
    expect(de.text).not.toBe(en.text);
  });
});

describe('the calendar-feed URL after a password event', () => {
  const feedOf = async (token: string) => (await json<{ url: string }>(call('GET', '/api/user/calendar', { token }), 200)).url;
  const path = (url: string) => new URL(url).pathname;

  it('is replaced by a password change: the old URL answers 404', async () => {
    const u = await createUser();
    const old = await feedOf(u.token);
    expect((await call('GET', path(old))).status).toBe(200);
    const { token } = await json(
      call('POST', '/api/user/change-password', { token: u.token, body: { newPassword: 'Another-Cake-Pass-3' } }),
      200,
    );
    await expectProblem(call('GET', path(old)), 404, 'not_found');
    const fresh = await feedOf(token);
    expect(fresh).not.toBe(old);
    expect((await call('GET', path(fresh))).status).toBe(200);
  });

  it('is replaced by a temporary-password sign-in and by a forced change', async () => {
    const u = await createUser();
    const first = await feedOf(u.token);
    const temporary = await temporaryPasswordOf(u.email);
    const { token } = await json(call('POST', '/api/auth/login', { body: { email: u.email, password: temporary } }), 200);
    await expectProblem(call('GET', path(first)), 404, 'not_found');

    const v = await createUser();
    const second = await feedOf(v.token);
    await json(
      call('POST', '/api/admin/users/force-password-change', {
        token: await adminToken(),
        body: { userId: v.id, mustChange: true },
      }),
      200,
    );
    await expectProblem(call('GET', path(second)), 404, 'not_found');
    expect(token).toBeTruthy();
  });

  it('is not created for a user who never asked for one', async () => {
    const u = await createUser();
    await json(call('POST', '/api/user/change-password', { token: u.token, body: { newPassword: 'Another-Cake-Pass-3' } }), 200);
    const row = await env.DB.prepare('select calendar_token_hash from users where id = ?')
      .bind(u.id)
      .first<{ calendar_token_hash: string | null }>();
    expect(row!.calendar_token_hash).toBeNull();
  });
});
