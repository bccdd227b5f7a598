/** Mail texts, German and English side by side. Rendered by the queue consumer. */
import type { Language } from '../db/schema';

export interface MailData {
  new_account: { name: string; email: string };
  account_activated: { name: string; loginUrl: string };
  new_event: { bakerName: string; groupName: string; date: string; description: string };
  temporary_password: { name: string; password: string; minutes: number };
  reminder: { name: string; groupName: string; date: string };
}
export type MailTemplate = keyof MailData;

interface Rendered {
  subject: string;
  text: string;
}

type Templates = { [T in MailTemplate]: Record<Language, (d: MailData[T]) => Rendered> };

const templates: Templates = {
  new_account: {
    en: (d) => ({
      subject: `New Cake Planner account: ${d.name}`,
      text: `${d.name} <${d.email}> registered and waits for activation in the admin panel.`,
    }),
    de: (d) => ({
      subject: `Neues Cake-Planner-Konto: ${d.name}`,
      text: `${d.name} <${d.email}> hat sich registriert und wartet im Admin-Bereich auf die Freischaltung.`,
    }),
  },
  account_activated: {
    en: (d) => ({
      subject: 'Your Cake Planner account is active',
      text: `Hello ${d.name},\n\nyour account has been activated. You can log in now: ${d.loginUrl}`,
    }),
    de: (d) => ({
      subject: 'Dein Cake-Planner-Konto ist freigeschaltet',
      text: `Hallo ${d.name},\n\ndein Konto wurde freigeschaltet. Du kannst dich jetzt anmelden: ${d.loginUrl}`,
    }),
  },
  new_event: {
    en: (d) => ({
      subject: `Cake on ${d.date} in ${d.groupName}`,
      text: `${d.bakerName} brings cake on ${d.date}.${d.description ? `\n\n${d.description}` : ''}`,
    }),
    de: (d) => ({
      subject: `Kuchen am ${d.date} in ${d.groupName}`,
      text: `${d.bakerName} bringt am ${d.date} Kuchen mit.${d.description ? `\n\n${d.description}` : ''}`,
    }),
  },
  temporary_password: {
    en: (d) => ({
      subject: 'Your temporary Cake Planner password',
      text: `Hello ${d.name},\n\nyour temporary password is: ${d.password}\n\nIt works once within ${d.minutes} minutes; you will then choose a new password. Your current password keeps working. If you did not ask for this, ignore this mail.`,
    }),
    de: (d) => ({
      subject: 'Dein vorläufiges Cake-Planner-Passwort',
      text: `Hallo ${d.name},\n\ndein vorläufiges Passwort lautet: ${d.password}\n\nEs gilt einmal innerhalb von ${d.minutes} Minuten; danach wählst du ein neues Passwort. Dein bisheriges Passwort bleibt gültig. Wenn du das nicht angefordert hast, ignoriere diese Mail.`,
    }),
  },
  reminder: {
    en: (d) => ({
      subject: `Reminder: your cake for ${d.groupName} tomorrow`,
      text: `Hello ${d.name},\n\ntomorrow (${d.date}) is your cake day in ${d.groupName}.`,
    }),
    de: (d) => ({
      subject: `Erinnerung: dein Kuchen für ${d.groupName} morgen`,
      text: `Hallo ${d.name},\n\nmorgen (${d.date}) bist du in ${d.groupName} mit Kuchen dran.`,
    }),
  },
};

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

export function renderMail<T extends MailTemplate>(template: T, language: Language, data: MailData[T]) {
  const { subject: raw, text } = templates[template][language](data);
  // A header is one line, whatever the data held.
  const subject = raw.replace(/\p{Cc}+/gu, ' ');
  const html = `<!doctype html><html lang="${language}"><body style="font-family:sans-serif">${escapeHtml(text)
    .split('\n\n')
    .map((p) => `<p>${p.replaceAll('\n', '<br>')}</p>`)
    .join('')}</body></html>`;
  return { subject, text, html };
}
