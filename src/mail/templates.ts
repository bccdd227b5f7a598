/** Mail texts, German and English side by side. Rendered by the queue consumer. */
import type { Language } from '../db/schema';

export interface MailData {
  new_account: { name: string; email: string };
  new_accounts: { accounts: { name: string; email: string }[] };
  account_activated: { name: string; loginUrl: string };
  new_event: { bakerName: string; groupName: string; date: string; description: string };
  temporary_password: { name: string; password: string; minutes: number };
  reminder: { name: string; groupName: string; date: string };
  security_notice: { name: string; event: SecurityEvent; at: string };
  channel_disabled: { name: string; groupName: string; channelName: string; failures: number };
}

/** What happened to an account, told to its owner (src/mail/security-notice.ts). */
export const SECURITY_EVENTS = [
  'two_factor_enabled',
  'two_factor_disabled',
  'two_factor_reset',
  'password_changed',
  'password_change_forced',
  'temporary_password_used',
] as const;
export type SecurityEvent = (typeof SECURITY_EVENTS)[number];

const securityWhat: Record<Language, Record<SecurityEvent, string>> = {
  en: {
    two_factor_enabled: 'Two-factor authentication was enabled for your account',
    two_factor_disabled: 'Two-factor authentication was disabled for your account',
    two_factor_reset: 'An administrator cleared the two-factor authentication of your account',
    password_changed: 'The password of your account was changed',
    password_change_forced: 'An administrator asked you to choose a new password',
    temporary_password_used: 'Someone signed in to your account with a temporary password',
  },
  de: {
    two_factor_enabled: 'Für dein Konto wurde die Zwei-Faktor-Anmeldung eingeschaltet',
    two_factor_disabled: 'Für dein Konto wurde die Zwei-Faktor-Anmeldung ausgeschaltet',
    two_factor_reset: 'Ein Administrator hat die Zwei-Faktor-Anmeldung deines Kontos zurückgesetzt',
    password_changed: 'Das Passwort deines Kontos wurde geändert',
    password_change_forced: 'Ein Administrator hat dich gebeten, ein neues Passwort zu wählen',
    temporary_password_used: 'Jemand hat sich mit einem vorläufigen Passwort bei deinem Konto angemeldet',
  },
};
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
  new_accounts: {
    en: (d) => ({
      subject: `${d.accounts.length} more new Cake Planner accounts`,
      text: `These registered in the last minutes and wait for activation in the admin panel:\n\n${d.accounts
        .map((a) => `${a.name} <${a.email}>`)
        .join('\n')}`,
    }),
    de: (d) => ({
      subject: `${d.accounts.length} weitere neue Cake-Planner-Konten`,
      text: `Diese haben sich in den letzten Minuten registriert und warten im Admin-Bereich auf die Freischaltung:\n\n${d.accounts
        .map((a) => `${a.name} <${a.email}>`)
        .join('\n')}`,
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
  security_notice: {
    en: (d) => ({
      subject: `Cake Planner security notice: ${securityWhat.en[d.event].toLowerCase()}`,
      text:
        `Hello ${d.name},\n\n${securityWhat.en[d.event]} (${d.at}).\n\n` +
        'If that was you, nothing is to do. If it was not, reset your password with "Forgot password" now and ' +
        'ask an administrator to check your account; every other session has been signed out.',
    }),
    de: (d) => ({
      subject: `Cake-Planner-Sicherheitshinweis: ${securityWhat.de[d.event]}`,
      text:
        `Hallo ${d.name},\n\n${securityWhat.de[d.event]} (${d.at}).\n\n` +
        'Wenn du das warst, ist nichts zu tun. Wenn nicht, setze dein Passwort jetzt über „Passwort vergessen“ zurück ' +
        'und bitte einen Administrator, dein Konto zu prüfen; alle anderen Sitzungen wurden abgemeldet.',
    }),
  },
  channel_disabled: {
    en: (d) => ({
      subject: `Channel "${d.channelName}" of ${d.groupName} was disabled`,
      text:
        `Hello ${d.name},\n\nthe channel "${d.channelName}" of ${d.groupName} failed ${d.failures} deliveries in a row and was disabled. ` +
        'Check its URL, then enable it again with PATCH /api/channels/{id} {"enabled": true}; its delivery log shows the last errors.',
    }),
    de: (d) => ({
      subject: `Kanal „${d.channelName}“ von ${d.groupName} wurde abgeschaltet`,
      text:
        `Hallo ${d.name},\n\nder Kanal „${d.channelName}“ von ${d.groupName} ist ${d.failures}-mal hintereinander nicht erreicht worden und wurde abgeschaltet. ` +
        'Prüfe seine URL und schalte ihn dann mit PATCH /api/channels/{id} {"enabled": true} wieder ein; sein Zustellprotokoll zeigt die letzten Fehler.',
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
