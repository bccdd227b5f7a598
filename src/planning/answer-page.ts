/**
 * The small pages behind a mail's one-click links (an assignment's accept
 * and decline, a hand-over's "take it"), in the recipient's mail language:
 * the question with one button (a form that POSTs to the same address), and
 * what came of pressing it. Plain HTML, no script and
 * no style, so the API's own Content-Security-Policy (default-src 'none')
 * holds for them too.
 */
import type { Language } from '../db/schema';
import type { Answer } from './answer-links';

export type PageState =
  | {
      kind: 'question';
      answer: Answer | 'take' | 'swap' | 'keep';
      groupName: string;
      date: string;
      /** The other person: who offers the cake, or who asks to swap. */
      other?: string;
      /** A swap's other date: the recipient's own cake day. */
      withDate?: string;
    }
  | { kind: 'accepted' | 'declined' | 'swapped' | 'kept'; groupName: string; date: string }
  | { kind: 'answered'; status?: string; date: string }
  | { kind: 'expired'; date: string }
  | { kind: 'away'; date: string }
  | { kind: 'invalid' };

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

const STATUS_WORDS: Record<Language, Record<string, string>> = {
  en: { accepted: 'accepted', declined: 'declined', withdrawn: 'withdrawn', taken: 'taken over', cancelled: 'cancelled' },
  de: { accepted: 'zugesagt', declined: 'abgesagt', withdrawn: 'zurückgezogen', taken: 'übernommen', cancelled: 'hinfällig' },
};

const texts = {
  en: {
    title: 'Cake Planner',
    question: {
      accept: 'Will you bring cake to {group} on {date}?',
      decline: 'Can’t you bring cake to {group} on {date}?',
      take: 'Will you take over the cake day of {other} in {group} on {date}?',
      swap: '{other} asks to swap cake days in {group}: you would bake on {date} instead of {withDate}. Swap?',
      keep: '{other} asks to swap cake days in {group}: you would bake on {date} instead of {withDate}. Keep your day?',
    },
    button: {
      accept: 'Yes, I bake',
      decline: 'No, I can’t',
      take: 'Yes, I take it',
      swap: 'Yes, swap',
      keep: 'Keep my day',
    },
    hint: 'Nothing is answered until you press the button.',
    accepted: 'Thank you! You bring cake to {group} on {date}; the group has been told.',
    declined: 'Thanks for letting us know: you do not bring cake to {group} on {date}.',
    swapped: 'Swapped: you bring cake to {group} on {date}; the group has been told.',
    kept: 'You keep your cake day in {group} on {date}; the request has been declined.',
    answered: 'This cake day ({date}) was {status} already; nothing changed.',
    answeredMeanwhile: 'This cake day ({date}) was answered meanwhile; nothing changed.',
    expired: 'This link ran out with its date ({date}); nothing changed.',
    away: 'You are away on {date} (an absence of yours covers that day); nothing changed.',
    invalid: 'This link is not valid (perhaps it was cut off in the mail); nothing changed.',
  },
  de: {
    title: 'Cake Planner',
    question: {
      accept: 'Bringst du am {date} Kuchen für {group} mit?',
      decline: 'Kannst du am {date} keinen Kuchen für {group} mitbringen?',
      take: 'Übernimmst du den Kuchentag von {other} am {date} in {group}?',
      swap: '{other} möchte in {group} Kuchentage tauschen: Du würdest am {date} statt am {withDate} backen. Tauschen?',
      keep: '{other} möchte in {group} Kuchentage tauschen: Du würdest am {date} statt am {withDate} backen. Deinen Tag behalten?',
    },
    button: {
      accept: 'Ja, ich backe',
      decline: 'Nein, ich kann nicht',
      take: 'Ja, ich übernehme',
      swap: 'Ja, tauschen',
      keep: 'Meinen Tag behalten',
    },
    hint: 'Erst der Knopf beantwortet die Frage.',
    accepted: 'Danke! Du bringst am {date} Kuchen für {group} mit; die Gruppe weiß Bescheid.',
    declined: 'Danke für die Nachricht: Du bringst am {date} keinen Kuchen für {group} mit.',
    swapped: 'Getauscht: Du bringst am {date} Kuchen für {group} mit; die Gruppe weiß Bescheid.',
    kept: 'Du behältst deinen Kuchentag am {date} in {group}; die Anfrage ist abgelehnt.',
    answered: 'Dieser Kuchentag ({date}) wurde schon {status}; nichts wurde geändert.',
    answeredMeanwhile: 'Dieser Kuchentag ({date}) wurde inzwischen beantwortet; nichts wurde geändert.',
    expired: 'Dieser Link galt bis zu seinem Datum ({date}); nichts wurde geändert.',
    away: 'Am {date} bist du abwesend (eine deiner Abwesenheiten deckt den Tag); nichts wurde geändert.',
    invalid: 'Dieser Link ist ungültig (vielleicht wurde er in der Mail abgeschnitten); nichts wurde geändert.',
  },
} as const;

const fill = (template: string, values: Record<string, string>) =>
  template.replace(/\{(\w+)\}/g, (_, key: string) => escapeHtml(values[key] ?? ''));

/** The page's HTML; the form (on the question) posts back to the page's own address. */
export function answerPage(state: PageState, language: Language): string {
  const t = texts[language];
  let body: string;
  switch (state.kind) {
    case 'question':
      body =
        `<p>${fill(t.question[state.answer], { group: state.groupName, date: state.date, other: state.other ?? '', withDate: state.withDate ?? '' })}</p>` +
        `<form method="post"><button type="submit">${escapeHtml(t.button[state.answer])}</button></form><p>${escapeHtml(t.hint)}</p>`;
      break;
    case 'accepted':
    case 'declined':
    case 'swapped':
    case 'kept':
      body = `<p>${fill(t[state.kind], { group: state.groupName, date: state.date })}</p>`;
      break;
    case 'answered':
      body =
        state.status === undefined
          ? `<p>${fill(t.answeredMeanwhile, { date: state.date })}</p>`
          : `<p>${fill(t.answered, { date: state.date, status: STATUS_WORDS[language][state.status] ?? state.status })}</p>`;
      break;
    case 'expired':
    case 'away':
      body = `<p>${fill(t[state.kind], { date: state.date })}</p>`;
      break;
    case 'invalid':
      body = `<p>${escapeHtml(t.invalid)}</p>`;
  }
  return `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${t.title}</title></head><body><h1>${t.title}</h1>${body}</body></html>`;
}
