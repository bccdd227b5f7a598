import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import worker from '../../src/index';
import { enqueueMail, type OutgoingMail } from '../../src/mail';
import { sendReminders } from '../../src/mail/reminders';
import { renderMail } from '../../src/mail/templates';
import { addMember, createGroup, createUser } from '../helpers/api';
import { localDate, addDays } from '../../src/lib/time';

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

describe('mail texts', () => {
  it('speaks the recipient’s language, as text and HTML', () => {
    const de = renderMail('temporary_password', 'de', { name: 'Anna', password: 'xyz', minutes: 30 });
    const en = renderMail('temporary_password', 'en', { name: 'Anna', password: 'xyz', minutes: 30 });
    expect(de.subject).toContain('Passwort');
    expect(en.subject).toContain('password');
    expect(de.text).toContain('xyz');
    expect(en.html).toContain('<p>');
  });

  it('escapes user text in HTML', () => {
    const { html } = renderMail('new_account', 'en', { name: '<script>x</script>', email: 'a@b.c' });
    expect(html).not.toContain('<script>');
  });

  it('keeps the subject on one line whatever the data holds', () => {
    const { subject } = renderMail('new_account', 'en', { name: 'Anna\r\nBcc: x@evil.test', email: 'a@b.c' });
    expect(subject).not.toMatch(/[\r\n]/);
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
 * Runs the daily reminder with the real queue, and returns how many reminders
 * it queued for this address: other tests' events may be due at the same time.
 */
async function remindersTo(email: string, now: Date): Promise<number> {
  const queued: OutgoingMail[] = [];
  const recording = {
    ...env,
    MAIL_QUEUE: {
      async sendBatch(messages: Iterable<MessageSendRequest<OutgoingMail>>) {
        const list = [...messages];
        queued.push(...list.map((m) => m.body));
        return env.MAIL_QUEUE.sendBatch(list);
      },
    } as unknown as Queue,
  };
  await sendReminders(recording, now);
  return queued.filter((m) => m.to === email && m.template === 'reminder').length;
}

describe('daily reminder', () => {
  it('reminds tomorrow’s baker once, judged in the group’s time zone', async () => {
    const group = await createGroup({ timeZone: 'Pacific/Auckland' });
    const baker = await createUser();
    await addMember(baker.id, group.id);
    const now = new Date();
    const tomorrow = addDays(localDate('Pacific/Auckland', now), 1);
    await env.DB.prepare(
      `insert into events (id, group_id, baker_id, date, description, created_at) values (?, ?, ?, ?, '', ?)`,
    )
      .bind(crypto.randomUUID(), group.id, baker.id, tomorrow, now.toISOString())
      .run();

    expect(await remindersTo(baker.email, now)).toBe(1);
    expect(await remindersTo(baker.email, now)).toBe(0);
  });

  async function bakeTomorrow(count: number, timeZone = 'UTC') {
    const group = await createGroup({ timeZone });
    const baker = await createUser();
    await addMember(baker.id, group.id);
    const now = new Date();
    const tomorrow = addDays(localDate(timeZone, now), 1);
    const insert = env.DB.prepare(
      `insert into events (id, group_id, baker_id, date, description, created_at) values (?, ?, ?, ?, '', ?)`,
    );
    await env.DB.batch(
      Array.from({ length: count }, () => insert.bind(crypto.randomUUID(), group.id, baker.id, tomorrow, now.toISOString())),
    );
    return { now, baker };
  }

  it('queues more reminders than one queue batch or one statement may hold', async () => {
    const { now, baker } = await bakeTomorrow(130);
    expect(await remindersTo(baker.email, now)).toBe(130);
    expect(await remindersTo(baker.email, now)).toBe(0);
  });

  it('fails the run and keeps the reminders due when the queue refuses them', async () => {
    const { now, baker } = await bakeTomorrow(3);
    const refusing = { ...env, MAIL_QUEUE: { sendBatch: async () => Promise.reject(new Error('queue down')) } as unknown as Queue };
    await expect(sendReminders(refusing, now)).rejects.toThrow('queue down');
    expect(await remindersTo(baker.email, now)).toBe(3);
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
    const refusing = { ...env, MAIL_QUEUE: { sendBatch: async () => Promise.reject(new Error('queue down')) } as unknown as Queue };
    await expect(enqueueMail(refusing, mail)).resolves.toBeUndefined();
  });
});
