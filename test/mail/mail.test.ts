/** Outgoing mail: the texts of every template, the queue consumer, the daily reminder, enqueueing. */
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import worker from '../../src/index';
import { addDays, localDate } from '../../src/lib/time';
import { enqueueMail, type OutgoingMail } from '../../src/mail';
import { sendReminders } from '../../src/mail/reminders';
import { renderMail } from '../../src/mail/templates';
import { createGroup, userIn } from '../helpers/api';
import { insertEvents } from '../helpers/events';
import { recordingQueue } from '../helpers/mailbox';

const mail: OutgoingMail = {
  to: 'anna@cake.test',
  template: 'temporary_password',
  language: 'de',
  data: { name: 'Anna', password: 'abc-def', minutes: 30 },
};

/** The real local binding, recording what passes through it. */
function recordingEmail(fail = false) {
  const sent: unknown[] = [];
  const binding = {
    async send(message: EmailMessageBuilder) {
      if (fail) throw new Error('mail server down');
      sent.push(message);
      return env.EMAIL.send(message);
    },
  } as unknown as SendEmail;
  return { sent, binding };
}

interface TemplateCase {
  mail: OutgoingMail;
  subject: string;
  /** What the mail must say (its text holds each; its HTML each, escaped). */
  says: string[];
}

const anna = 'anna@cake.test';
/** Every template in both languages: the exact subject and the sentences (and link) that make it. */
/** The one-click links of an assignment mail. */
const links = {
  acceptUrl: 'https://cake.test/api/answer/a1/accept/s1',
  declineUrl: 'https://cake.test/api/answer/a1/decline/s2',
};

const TEMPLATES: TemplateCase[] = [
  {
    mail: { to: anna, template: 'new_account', language: 'en', data: { name: 'Ben', email: 'ben@cake.test' } },
    subject: 'New Cake Planner account: Ben',
    says: ['Ben <ben@cake.test> registered and waits for activation in the admin panel.'],
  },
  {
    mail: { to: anna, template: 'new_account', language: 'de', data: { name: 'Ben', email: 'ben@cake.test' } },
    subject: 'Neues Cake-Planner-Konto: Ben',
    says: ['Ben <ben@cake.test> hat sich registriert und wartet im Admin-Bereich auf die Freischaltung.'],
  },
  {
    mail: {
      to: anna,
      template: 'new_accounts',
      language: 'en',
      data: {
        accounts: [
          { name: 'Ben', email: 'ben@cake.test' },
          { name: 'Cara', email: 'cara@cake.test' },
        ],
      },
    },
    subject: '2 more new Cake Planner accounts',
    says: [
      'These registered in the last minutes and wait for activation in the admin panel:',
      'Ben <ben@cake.test>\nCara <cara@cake.test>',
    ],
  },
  {
    mail: {
      to: anna,
      template: 'new_accounts',
      language: 'de',
      data: {
        accounts: [
          { name: 'Ben', email: 'ben@cake.test' },
          { name: 'Cara', email: 'cara@cake.test' },
        ],
      },
    },
    subject: '2 weitere neue Cake-Planner-Konten',
    says: [
      'Diese haben sich in den letzten Minuten registriert und warten im Admin-Bereich auf die Freischaltung:',
      'Ben <ben@cake.test>\nCara <cara@cake.test>',
    ],
  },
  {
    mail: {
      to: anna,
      template: 'account_activated',
      language: 'en',
      data: { name: 'Anna', loginUrl: 'https://cake.test/login' },
    },
    subject: 'Your Cake Planner account is active',
    says: ['Hello Anna,', 'your account has been activated. You can log in now: https://cake.test/login'],
  },
  {
    mail: {
      to: anna,
      template: 'account_activated',
      language: 'de',
      data: { name: 'Anna', loginUrl: 'https://cake.test/login' },
    },
    subject: 'Dein Cake-Planner-Konto ist freigeschaltet',
    says: ['Hallo Anna,', 'dein Konto wurde freigeschaltet. Du kannst dich jetzt anmelden: https://cake.test/login'],
  },
  {
    mail: {
      to: anna,
      template: 'new_event',
      language: 'en',
      data: { bakerName: 'Ben', groupName: 'Bakers', date: '2026-12-24', description: 'Apfelstrudel' },
    },
    subject: 'Cake on 2026-12-24 in Bakers',
    says: ['Ben brings cake on 2026-12-24.', 'Apfelstrudel'],
  },
  {
    mail: {
      to: anna,
      template: 'new_event',
      language: 'de',
      data: { bakerName: 'Ben', groupName: 'Bakers', date: '2026-12-24', description: 'Apfelstrudel' },
    },
    subject: 'Kuchen am 2026-12-24 in Bakers',
    says: ['Ben bringt am 2026-12-24 Kuchen mit.', 'Apfelstrudel'],
  },
  {
    mail: {
      to: anna,
      template: 'event_moved',
      language: 'en',
      data: { bakerName: 'Ben', groupName: 'Bakers', from: '2026-12-23', date: '2026-12-24', description: 'Stollen' },
    },
    subject: 'Cake moved to 2026-12-24 in Bakers',
    says: ["Ben's cake moves from 2026-12-23 to 2026-12-24.", 'Stollen'],
  },
  {
    mail: {
      to: anna,
      template: 'event_moved',
      language: 'de',
      data: { bakerName: 'Ben', groupName: 'Bakers', from: '2026-12-23', date: '2026-12-24', description: '' },
    },
    subject: 'Kuchen verschoben auf den 2026-12-24 in Bakers',
    says: ['Der Kuchen von Ben wird vom 2026-12-23 auf den 2026-12-24 verschoben.'],
  },
  {
    mail: {
      to: anna,
      template: 'handover_offered',
      language: 'en',
      data: { offererName: 'Ben', groupName: 'Bakers', date: '2026-12-24', message: 'Flu, sorry' },
    },
    subject: 'Cake on 2026-12-24 in Bakers up for grabs',
    says: ['Ben cannot bake on 2026-12-24 and offers the cake day to the group.', 'Flu, sorry'],
  },
  {
    mail: {
      to: anna,
      template: 'handover_offered',
      language: 'de',
      data: { offererName: 'Ben', groupName: 'Bakers', date: '2026-12-24', message: '' },
    },
    subject: 'Kuchen am 2026-12-24 in Bakers abzugeben',
    says: ['Ben kann am 2026-12-24 nicht backen und gibt den Kuchentag ab.'],
  },
  {
    mail: {
      to: anna,
      template: 'handover_taken',
      language: 'en',
      data: { takerName: 'Ben', groupName: 'Bakers', date: '2026-12-24' },
    },
    subject: 'Ben takes your cake on 2026-12-24',
    says: ['Ben took over your cake day on 2026-12-24 in Bakers.'],
  },
  {
    mail: {
      to: anna,
      template: 'handover_taken',
      language: 'de',
      data: { takerName: 'Ben', groupName: 'Bakers', date: '2026-12-24' },
    },
    subject: 'Ben übernimmt deinen Kuchen am 2026-12-24',
    says: ['Ben hat deinen Kuchentag am 2026-12-24 in Bakers übernommen.'],
  },
  {
    mail: {
      to: anna,
      template: 'swap_requested',
      language: 'en',
      data: { requesterName: 'Ben', groupName: 'Bakers', date: '2026-12-10', withDate: '2026-12-17' },
    },
    subject: 'Ben asks to swap cake days',
    says: ['you would bake on 2026-12-10 instead of 2026-12-17, and Ben on 2026-12-17.'],
  },
  {
    mail: {
      to: anna,
      template: 'swap_requested',
      language: 'de',
      data: { requesterName: 'Ben', groupName: 'Bakers', date: '2026-12-10', withDate: '2026-12-17' },
    },
    subject: 'Ben möchte Kuchentage tauschen',
    says: ['Du würdest am 2026-12-10 statt am 2026-12-17 backen und Ben am 2026-12-17.'],
  },
  {
    mail: {
      to: anna,
      template: 'swap_answered',
      language: 'en',
      data: { name: 'Ben', groupName: 'Bakers', date: '2026-12-10', withDate: '2026-12-17', accepted: true },
    },
    subject: 'Cake days swapped: you bake on 2026-12-17',
    says: ['Ben accepted: in Bakers you now bake on 2026-12-17, and Ben on 2026-12-10.'],
  },
  {
    mail: {
      to: anna,
      template: 'swap_answered',
      language: 'de',
      data: { name: 'Ben', groupName: 'Bakers', date: '2026-12-10', withDate: '2026-12-17', accepted: false },
    },
    subject: 'Tausch der Kuchentage abgelehnt',
    says: ['Ben möchte deinen Kuchentag am 2026-12-10 nicht gegen den 2026-12-17 in Bakers tauschen.'],
  },
  {
    mail: { to: anna, template: 'temporary_password', language: 'en', data: { name: 'Anna', password: 'xyz', minutes: 30 } },
    subject: 'Your temporary Cake Planner password',
    says: [
      'Hello Anna,',
      'your temporary password is: xyz',
      'It works once within 30 minutes; you will then choose a new password.',
      'Your current password keeps working.',
    ],
  },
  {
    mail: { to: anna, template: 'temporary_password', language: 'de', data: { name: 'Anna', password: 'xyz', minutes: 30 } },
    subject: 'Dein vorläufiges Cake-Planner-Passwort',
    says: [
      'Hallo Anna,',
      'dein vorläufiges Passwort lautet: xyz',
      'Es gilt einmal innerhalb von 30 Minuten; danach wählst du ein neues Passwort.',
      'Dein bisheriges Passwort bleibt gültig.',
    ],
  },
  {
    mail: { to: anna, template: 'reminder', language: 'en', data: { name: 'Anna', groupName: 'Bakers', date: '2026-12-24' } },
    subject: 'Reminder: your cake for Bakers tomorrow',
    says: ['Hello Anna,', 'tomorrow (2026-12-24) is your cake day in Bakers.'],
  },
  {
    mail: { to: anna, template: 'reminder', language: 'de', data: { name: 'Anna', groupName: 'Bakers', date: '2026-12-24' } },
    subject: 'Erinnerung: dein Kuchen für Bakers morgen',
    says: ['Hallo Anna,', 'morgen (2026-12-24) bist du in Bakers mit Kuchen dran.'],
  },
  {
    mail: {
      to: anna,
      template: 'security_notice',
      language: 'en',
      data: { name: 'Anna', event: 'password_changed', at: '2026-12-01 09:30 UTC' },
    },
    subject: 'Cake Planner security notice: the password of your account was changed',
    says: [
      'Hello Anna,',
      'The password of your account was changed (2026-12-01 09:30 UTC).',
      'reset your password with "Forgot password" now',
    ],
  },
  {
    mail: {
      to: anna,
      template: 'security_notice',
      language: 'de',
      data: { name: 'Anna', event: 'password_changed', at: '2026-12-01 09:30 UTC' },
    },
    subject: 'Cake-Planner-Sicherheitshinweis: Das Passwort deines Kontos wurde geändert',
    says: [
      'Hallo Anna,',
      'Das Passwort deines Kontos wurde geändert (2026-12-01 09:30 UTC).',
      'setze dein Passwort jetzt über „Passwort vergessen“ zurück',
    ],
  },
  {
    mail: {
      to: anna,
      template: 'assignment',
      language: 'en',
      data: { name: 'Anna', groupName: 'Bakers', date: '2026-12-24', ...links },
    },
    subject: 'Your turn: cake for Bakers on 2026-12-24?',
    says: [
      'Hello Anna,',
      `Yes, I bake: ${links.acceptUrl}`,
      `No, I can’t: ${links.declineUrl}`,
      'nothing is answered until you press it',
    ],
  },
  {
    mail: {
      to: anna,
      template: 'assignment',
      language: 'de',
      data: { name: 'Anna', groupName: 'Bakers', date: '2026-12-24', ...links },
    },
    subject: 'Du bist dran: Kuchen für Bakers am 2026-12-24?',
    says: ['Hallo Anna,', `Ja, ich backe: ${links.acceptUrl}`, `Nein, ich kann nicht: ${links.declineUrl}`],
  },
  {
    mail: {
      to: anna,
      template: 'assignment_reminder',
      language: 'en',
      data: { name: 'Anna', groupName: 'Bakers', date: '2026-12-24', ...links },
    },
    subject: 'Still open: cake for Bakers on 2026-12-24?',
    says: ['Hello Anna,', 'Please answer', `Yes, I bake: ${links.acceptUrl}`],
  },
  {
    mail: {
      to: anna,
      template: 'assignment_reminder',
      language: 'de',
      data: { name: 'Anna', groupName: 'Bakers', date: '2026-12-24', ...links },
    },
    subject: 'Noch offen: Kuchen für Bakers am 2026-12-24?',
    says: ['Hallo Anna,', 'Bitte antworte', `Nein, ich kann nicht: ${links.declineUrl}`],
  },
  {
    mail: {
      to: anna,
      template: 'assignment_withdrawn',
      language: 'en',
      data: { name: 'Anna', groupName: 'Bakers', date: '2026-12-24' },
    },
    subject: 'No cake needed from you on 2026-12-24',
    says: ['Hello Anna,', 'you no longer need to bring cake to Bakers on 2026-12-24.'],
  },
  {
    mail: {
      to: anna,
      template: 'assignment_withdrawn',
      language: 'de',
      data: { name: 'Anna', groupName: 'Bakers', date: '2026-12-24' },
    },
    subject: 'Am 2026-12-24 brauchst du keinen Kuchen mitzubringen',
    says: ['Hallo Anna,', 'du musst am 2026-12-24 keinen Kuchen mehr für Bakers mitbringen.'],
  },
];

const escapeHtml = (text: string) =>
  text
    .replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!)
    .replaceAll('\n', '<br>');

describe('mail texts', () => {
  it.each(TEMPLATES.map((c) => ({ ...c, template: c.mail.template, language: c.mail.language })))(
    '$template in $language: sent to its recipient with its subject, in its language, saying what it must',
    async ({ mail, subject, says }) => {
      const { sent, binding } = recordingEmail();
      const batch = createMessageBatch<OutgoingMail>('cake-planner-mail', [
        { id: 'm', timestamp: new Date(), attempts: 1, body: mail },
      ]);
      const ctx = createExecutionContext();
      await worker.queue(batch, { ...env, EMAIL: binding }, ctx);
      expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(['m']);
      expect(sent).toEqual([{ from: env.MAIL_FROM, to: anna, subject, text: expect.any(String), html: expect.any(String) }]);
      const { text, html } = sent[0] as { text: string; html: string };
      expect(html.startsWith(`<!doctype html><html lang="${mail.language}">`)).toBe(true);
      for (const sentence of says) {
        expect(text).toContain(sentence);
        expect(html).toContain(escapeHtml(sentence));
      }
      // Each paragraph of the text is a paragraph of the HTML.
      expect(html.match(/<p>/g)).toHaveLength(text.split('\n\n').length);
    },
  );

  it('has a case for every template in both languages', () => {
    const templates = [
      'new_account',
      'new_accounts',
      'account_activated',
      'new_event',
      'event_moved',
      'handover_offered',
      'handover_taken',
      'swap_requested',
      'swap_answered',
      'temporary_password',
      'reminder',
      'security_notice',
      'assignment',
      'assignment_reminder',
      'assignment_withdrawn',
    ];
    expect(TEMPLATES.map((c) => `${c.mail.template} ${c.mail.language}`).sort()).toEqual(
      templates.flatMap((t) => [`${t} de`, `${t} en`]).sort(),
    );
  });

  it('speaks the recipient’s language, as text and HTML', () => {
    const de = renderMail('temporary_password', 'de', { name: 'Anna', password: 'xyz', minutes: 30 });
    const en = renderMail('temporary_password', 'en', { name: 'Anna', password: 'xyz', minutes: 30 });
    expect(de.subject).toBe('Dein vorläufiges Cake-Planner-Passwort');
    expect(en.subject).toBe('Your temporary Cake Planner password');
    expect(de.text).toContain('dein vorläufiges Passwort lautet: xyz');
    expect(en.html).toContain('<p>Hello Anna,</p><p>your temporary password is: xyz</p>');
  });

  it('escapes user text in HTML', () => {
    const { html, text } = renderMail('new_account', 'en', { name: '<script>x</script>', email: 'a@b.c' });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;x&lt;/script&gt; &lt;a@b.c&gt; registered');
    expect(text).toContain('<script>x</script> <a@b.c> registered');
  });

  it('keeps the subject on one line whatever the data holds', () => {
    const { subject } = renderMail('new_account', 'en', { name: 'Anna\r\nBcc: x@evil.test', email: 'a@b.c' });
    expect(subject).not.toMatch(/[\r\n]/);
    expect(subject).toBe('New Cake Planner account: Anna Bcc: x@evil.test');
  });
});

describe('mail queue consumer', () => {
  it('sends through the email binding and acknowledges', async () => {
    const { sent, binding } = recordingEmail();
    const batch = createMessageBatch<OutgoingMail>('cake-planner-mail', [
      { id: 'm1', timestamp: new Date(), attempts: 1, body: mail },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, { ...env, EMAIL: binding }, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual(['m1']);
    expect(sent).toEqual([expect.objectContaining({ to: 'anna@cake.test', subject: expect.stringContaining('Passwort') })]);
  });

  it('retries a failed send instead of dropping it', async () => {
    const { binding } = recordingEmail(true);
    const batch = createMessageBatch<OutgoingMail>('cake-planner-mail', [
      { id: 'm2', timestamp: new Date(), attempts: 1, body: mail },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, { ...env, EMAIL: binding }, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(['m2']);
  });
});

/**
 * Runs the daily reminder with the real queue, and returns what it queued for
 * this address: other tests' events may be due at the same time.
 */
async function remindersTo(email: string, now: Date): Promise<OutgoingMail[]> {
  const { queue, mails } = recordingQueue();
  await sendReminders({ ...env, MAIL_QUEUE: queue }, now);
  return mails.filter((m) => m.to === email);
}

/** A baker in a group of this time zone with `count` events tomorrow there, and the reminder each should get. */
async function bakeTomorrow(count: number, timeZone = 'UTC') {
  const group = await createGroup({ timeZone });
  const baker = await userIn(group.id);
  const now = new Date();
  const tomorrow = addDays(localDate(timeZone, now), 1);
  await insertEvents(
    ...Array.from({ length: count }, () => ({
      groupId: group.id,
      bakerId: baker.id,
      date: tomorrow,
      createdAt: now.toISOString(),
    })),
  );
  const reminder: OutgoingMail = {
    to: baker.email,
    template: 'reminder',
    language: 'en',
    data: { name: baker.name, groupName: group.name, date: tomorrow },
  };
  return { now, baker, group, reminder };
}

describe('daily reminder', () => {
  it('reminds tomorrow’s baker once, judged in the group’s time zone', async () => {
    const { now, baker, group, reminder } = await bakeTomorrow(1, 'Pacific/Auckland');
    const sent = await remindersTo(baker.email, now);
    expect(sent).toEqual([reminder]);
    expect(renderMail('reminder', 'en', sent[0]!.data as never).subject).toBe(`Reminder: your cake for ${group.name} tomorrow`);
    expect(await remindersTo(baker.email, now)).toEqual([]);
  });

  it('writes the reminder in the baker’s email language', async () => {
    const { now, baker, group, reminder } = await bakeTomorrow(1);
    await env.DB.prepare("update users set email_language = 'de' where id = ?").bind(baker.id).run();
    const sent = await remindersTo(baker.email, now);
    expect(sent).toEqual([{ ...reminder, language: 'de' }]);
    expect(renderMail('reminder', 'de', sent[0]!.data as never).subject).toBe(`Erinnerung: dein Kuchen für ${group.name} morgen`);
  });

  it('queues more reminders than one queue batch or one statement may hold', async () => {
    const { now, baker, reminder } = await bakeTomorrow(130);
    const sent = await remindersTo(baker.email, now);
    expect(sent).toHaveLength(130);
    expect(sent).toEqual(Array(130).fill(reminder));
    expect(await remindersTo(baker.email, now)).toEqual([]);
  });

  it('fails the run and keeps the reminders due when the queue refuses them', async () => {
    const { now, baker, reminder } = await bakeTomorrow(3);
    const refusing = {
      ...env,
      MAIL_QUEUE: { sendBatch: async () => Promise.reject(new Error('queue down')) } as unknown as Queue,
    };
    await expect(sendReminders(refusing, now)).rejects.toThrow('queue down');
    const sent = await remindersTo(baker.email, now);
    expect(sent).toHaveLength(3);
    expect(sent).toEqual(Array(3).fill(reminder));
  });
});

describe('enqueueMail', () => {
  it('splits large fan-outs into queue batches of at most 100', async () => {
    const batches: number[] = [];
    const counting = {
      ...env,
      MAIL_QUEUE: {
        sendBatch: async (messages: unknown[]) => {
          batches.push(messages.length);
          if (messages.length > 100) throw new Error('too many messages in one batch');
        },
      } as unknown as Queue,
    };
    await enqueueMail(counting, ...Array.from({ length: 250 }, () => mail));
    expect(batches).toEqual([100, 100, 50]);
  });

  it('never fails the request that caused the mail when the queue refuses it', async () => {
    const refusing = {
      ...env,
      MAIL_QUEUE: { sendBatch: async () => Promise.reject(new Error('queue down')) } as unknown as Queue,
    };
    await expect(enqueueMail(refusing, mail)).resolves.toBeUndefined();
  });
});
