/** Mail texts, German and English side by side. Rendered by the queue consumer. */
import type { Language } from '../db/schema';

export interface MailData {
  new_account: { name: string; email: string };
  new_accounts: { accounts: { name: string; email: string }[] };
  account_activated: { name: string; loginUrl: string };
  new_event: { bakerName: string; groupName: string; date: string; description: string };
  event_moved: { bakerName: string; groupName: string; from: string; date: string; description: string };
  temporary_password: { name: string; password: string; minutes: number };
  /** `takeUrl`: the recipient's own one-click page (src/events/take-links.ts). */
  handover_offered: { offererName: string; groupName: string; date: string; message: string; takeUrl?: string };
  handover_taken: { takerName: string; groupName: string; date: string };
  /** The links: the other baker's own one-click pages (src/events/swap-links.ts). */
  swap_requested: { requesterName: string; groupName: string; date: string; withDate: string } & Partial<AnswerLinks>;
  swap_answered: { name: string; groupName: string; date: string; withDate: string; accepted: boolean };
  /** `needs`: the group's dietary needs as one sentence in the recipient's language (counts, never names). */
  reminder: { name: string; groupName: string; date: string; answer?: AnswerLinks; needs?: string | null };
  assignment: { name: string; groupName: string; date: string } & AnswerLinks;
  assignment_reminder: { name: string; groupName: string; date: string } & AnswerLinks;
  assignment_withdrawn: { name: string; groupName: string; date: string };
  security_notice: { name: string; event: SecurityEvent; at: string };
  channel_disabled: { name: string; groupName: string; channelName: string; failures: number };
}

/** The one-click pages of an assignment's or a swap request's mail (src/planning/answer-links.ts, src/events/swap-links.ts). */
interface AnswerLinks {
  acceptUrl: string;
  declineUrl: string;
}

const answerLines: Record<Language, (d: AnswerLinks) => string> = {
  en: (d) => `Yes, I bake: ${d.acceptUrl}\nNo, I can’t: ${d.declineUrl}`,
  de: (d) => `Ja, ich backe: ${d.acceptUrl}\nNein, ich kann nicht: ${d.declineUrl}`,
};

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
  event_moved: {
    en: (d) => ({
      subject: `Cake moved to ${d.date} in ${d.groupName}`,
      text: `${d.bakerName}'s cake moves from ${d.from} to ${d.date}.${d.description ? `\n\n${d.description}` : ''}`,
    }),
    de: (d) => ({
      subject: `Kuchen verschoben auf den ${d.date} in ${d.groupName}`,
      text: `Der Kuchen von ${d.bakerName} wird vom ${d.from} auf den ${d.date} verschoben.${d.description ? `\n\n${d.description}` : ''}`,
    }),
  },
  handover_offered: {
    en: (d) => ({
      subject: `Cake on ${d.date} in ${d.groupName} up for grabs`,
      text: `${d.offererName} cannot bake on ${d.date} and offers the cake day to the group. The first to take it in Cake Planner bakes it.${d.message ? `\n\n${d.message}` : ''}${d.takeUrl ? `\n\nTake it: ${d.takeUrl}` : ''}`,
    }),
    de: (d) => ({
      subject: `Kuchen am ${d.date} in ${d.groupName} abzugeben`,
      text: `${d.offererName} kann am ${d.date} nicht backen und gibt den Kuchentag ab. Wer ihn in Cake Planner zuerst übernimmt, backt.${d.message ? `\n\n${d.message}` : ''}${d.takeUrl ? `\n\nÜbernehmen: ${d.takeUrl}` : ''}`,
    }),
  },
  handover_taken: {
    en: (d) => ({
      subject: `${d.takerName} takes your cake on ${d.date}`,
      text: `${d.takerName} took over your cake day on ${d.date} in ${d.groupName}. You do not bake that day.`,
    }),
    de: (d) => ({
      subject: `${d.takerName} übernimmt deinen Kuchen am ${d.date}`,
      text: `${d.takerName} hat deinen Kuchentag am ${d.date} in ${d.groupName} übernommen. Du backst an dem Tag nicht.`,
    }),
  },
  swap_requested: {
    en: (d) => ({
      subject: `${d.requesterName} asks to swap cake days`,
      text: `${d.requesterName} asks to swap cake days in ${d.groupName}: you would bake on ${d.date} instead of ${d.withDate}, and ${d.requesterName} on ${d.withDate}.${d.acceptUrl ? `\n\nSwap: ${d.acceptUrl}\nKeep my day: ${d.declineUrl}` : ''}`,
    }),
    de: (d) => ({
      subject: `${d.requesterName} möchte Kuchentage tauschen`,
      text: `${d.requesterName} möchte in ${d.groupName} Kuchentage tauschen: Du würdest am ${d.date} statt am ${d.withDate} backen und ${d.requesterName} am ${d.withDate}.${d.acceptUrl ? `\n\nTauschen: ${d.acceptUrl}\nMeinen Tag behalten: ${d.declineUrl}` : ''}`,
    }),
  },
  swap_answered: {
    en: (d) => ({
      subject: d.accepted ? `Cake days swapped: you bake on ${d.withDate}` : 'Cake day swap declined',
      text: d.accepted
        ? `${d.name} accepted: in ${d.groupName} you now bake on ${d.withDate}, and ${d.name} on ${d.date}.`
        : `${d.name} declined to swap your cake day on ${d.date} for ${d.withDate} in ${d.groupName}.`,
    }),
    de: (d) => ({
      subject: d.accepted ? `Kuchentage getauscht: du backst am ${d.withDate}` : 'Tausch der Kuchentage abgelehnt',
      text: d.accepted
        ? `${d.name} hat angenommen: In ${d.groupName} backst du jetzt am ${d.withDate} und ${d.name} am ${d.date}.`
        : `${d.name} möchte deinen Kuchentag am ${d.date} nicht gegen den ${d.withDate} in ${d.groupName} tauschen.`,
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
      text:
        `Hello ${d.name},\n\ntomorrow (${d.date}) is your cake day in ${d.groupName}.` +
        (d.needs ? `\n\n${d.needs}` : '') +
        (d.answer ? `\n\nYou have not confirmed it yet:\n${answerLines.en(d.answer)}` : ''),
    }),
    de: (d) => ({
      subject: `Erinnerung: dein Kuchen für ${d.groupName} morgen`,
      text:
        `Hallo ${d.name},\n\nmorgen (${d.date}) bist du in ${d.groupName} mit Kuchen dran.` +
        (d.needs ? `\n\n${d.needs}` : '') +
        (d.answer ? `\n\nDu hast noch nicht zugesagt:\n${answerLines.de(d.answer)}` : ''),
    }),
  },
  assignment: {
    en: (d) => ({
      subject: `Your turn: cake for ${d.groupName} on ${d.date}?`,
      text:
        `Hello ${d.name},\n\nit is your turn to bring cake to ${d.groupName} on ${d.date}. Can you?\n\n${answerLines.en(d)}\n\n` +
        'Each link opens a page with one button; nothing is answered until you press it.',
    }),
    de: (d) => ({
      subject: `Du bist dran: Kuchen für ${d.groupName} am ${d.date}?`,
      text:
        `Hallo ${d.name},\n\ndu bist dran, am ${d.date} Kuchen für ${d.groupName} mitzubringen. Klappt das?\n\n${answerLines.de(d)}\n\n` +
        'Jeder Link öffnet eine Seite mit einem Knopf; erst der Knopf beantwortet die Frage.',
    }),
  },
  assignment_reminder: {
    en: (d) => ({
      subject: `Still open: cake for ${d.groupName} on ${d.date}?`,
      text: `Hello ${d.name},\n\nyou were asked two days ago to bring cake to ${d.groupName} on ${d.date}. Please answer:\n\n${answerLines.en(d)}`,
    }),
    de: (d) => ({
      subject: `Noch offen: Kuchen für ${d.groupName} am ${d.date}?`,
      text: `Hallo ${d.name},\n\ndu wurdest vor zwei Tagen gefragt, am ${d.date} Kuchen für ${d.groupName} mitzubringen. Bitte antworte:\n\n${answerLines.de(d)}`,
    }),
  },
  assignment_withdrawn: {
    en: (d) => ({
      subject: `No cake needed from you on ${d.date}`,
      text: `Hello ${d.name},\n\nyou no longer need to bring cake to ${d.groupName} on ${d.date}.`,
    }),
    de: (d) => ({
      subject: `Am ${d.date} brauchst du keinen Kuchen mitzubringen`,
      text: `Hallo ${d.name},\n\ndu musst am ${d.date} keinen Kuchen mehr für ${d.groupName} mitbringen.`,
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
