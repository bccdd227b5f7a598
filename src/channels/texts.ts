/**
 * What channel messages say, German and English side by side. A text is
 * built with the platform's formatter: names and descriptions go through
 * `fmt.user` (escaped for the platform, shortened), never into markup as
 * they came; `headline` holds no user text at all.
 */
import type { Language } from '../db/schema';
import type { ChannelMessage } from './events';

export interface Formatter {
  /** User text, escaped for the platform. */
  user(text: string): string;
  bold(text: string): string;
}

export interface MessageText {
  headline: string;
  lines: string[];
}

/** Names and descriptions are shortened before they are escaped (platform limits; a message stays a glance). */
const MAX_NAME = 100;
const MAX_DESCRIPTION = 300;

function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

const formats: Record<Language, Intl.DateTimeFormat> = {
  en: new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }),
  de: new Intl.DateTimeFormat('de-DE', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }),
};

/** A calendar date as people read it (`Friday 11 December 2026`, `Freitag, 11. Dezember 2026`). */
const longDate = (language: Language, date: string) => formats[language].format(new Date(`${date}T00:00:00Z`));

const stars = (average: number) => average.toFixed(1);

type Texts = { [T in ChannelMessage['type']]: (m: ChannelMessage & { type: T }, f: Formatter) => MessageText };

const texts: Record<Language, Texts> = {
  en: {
    'cake.created': (m, f) => ({
      headline: 'New cake 🎂',
      lines: [
        `${baker(m.cake.bakerName, f, 'en')} brings a cake on ${f.bold(longDate('en', m.cake.date))}.`,
        ...described(m.cake, f),
      ],
    }),
    'cake.tomorrow': (m, f) => ({
      headline: 'Tomorrow’s cake 🎂',
      lines: [
        `Tomorrow: ${baker(m.cake.bakerName, f, 'en')} brings ${m.cake.description ? f.user(clip(m.cake.description, MAX_DESCRIPTION)) : 'a cake'} 🎂`,
      ],
    }),
    'cake.updated': (m, f) => ({
      headline: 'Cake changed',
      lines: [
        `${baker(m.cake.bakerName, f, 'en')}’s cake is now on ${f.bold(longDate('en', m.cake.date))}.`,
        ...described(m.cake, f),
      ],
    }),
    'cake.deleted': (m, f) => ({
      headline: 'Cake cancelled',
      lines: [`${baker(m.cake.bakerName, f, 'en')}’s cake on ${f.bold(longDate('en', m.cake.date))} is cancelled.`],
    }),
    'cake.rated': (m, f) => ({
      headline: 'Cake rated ⭐',
      lines: [
        `${baker(m.cake.bakerName, f, 'en')}’s cake of ${longDate('en', m.cake.date)}: ${f.bold(`★ ${stars(m.rating.average)}`)} (${m.rating.count} ${m.rating.count === 1 ? 'rating' : 'ratings'}).`,
      ],
    }),
    'cake_day.open': (m, f) => ({
      headline: 'Open cake day',
      lines: [`${f.bold(longDate('en', m.date))} still needs a baker.`],
    }),
    'assignment.changed': (m, f) => {
      const who = f.user(clip(m.assignment.userName, MAX_NAME));
      const day = f.bold(longDate('en', m.assignment.date));
      const line = {
        pending: `${who} is asked to bake on ${day}.`,
        accepted: `${who} bakes on ${day}.`,
        declined: `${who} cannot bake on ${day}.`,
        withdrawn: `The request to ${who} for ${day} was withdrawn.`,
      }[m.assignment.status];
      return { headline: 'Cake day assignment', lines: [line] };
    },
    'handover.offered': (m, f) => ({
      headline: 'Cake day up for grabs',
      lines: [
        `${f.user(clip(m.handover.offeredBy, MAX_NAME))} hands on the cake day ${f.bold(longDate('en', m.handover.date))}.`,
      ],
    }),
    'handover.taken': (m, f) => ({
      headline: 'Cake day taken over',
      lines: [
        `${f.user(clip(m.handover.takenBy ?? '', MAX_NAME))} takes over ${f.bold(longDate('en', m.handover.date))} from ${f.user(clip(m.handover.offeredBy, MAX_NAME))}.`,
      ],
    }),
    'hall_of_fame.weekly': (m, f) => ({
      headline: 'Hall of Fame of the week 🏆',
      lines:
        m.cakes.length === 0
          ? ['No cake was rated last week.']
          : m.cakes.map(
              (c, i) =>
                `${i + 1}. ${baker(c.bakerName, f, 'en')}${c.description ? `: ${f.user(clip(c.description, MAX_DESCRIPTION))}` : ''} ${f.bold(`★ ${stars(c.average)}`)} (${c.count})`,
            ),
    }),
    'channel.test': () => ({ headline: 'Cake Planner', lines: ['Test message: this channel is connected.'] }),
  },
  de: {
    'cake.created': (m, f) => ({
      headline: 'Neuer Kuchen 🎂',
      lines: [
        `${baker(m.cake.bakerName, f, 'de')} bringt am ${f.bold(longDate('de', m.cake.date))} Kuchen mit.`,
        ...described(m.cake, f),
      ],
    }),
    'cake.tomorrow': (m, f) => ({
      headline: 'Morgen gibt es Kuchen 🎂',
      lines: [
        `Morgen: ${baker(m.cake.bakerName, f, 'de')} bringt ${m.cake.description ? f.user(clip(m.cake.description, MAX_DESCRIPTION)) : 'Kuchen'} mit 🎂`,
      ],
    }),
    'cake.updated': (m, f) => ({
      headline: 'Kuchen geändert',
      lines: [
        `Der Kuchen von ${baker(m.cake.bakerName, f, 'de')} ist jetzt am ${f.bold(longDate('de', m.cake.date))}.`,
        ...described(m.cake, f),
      ],
    }),
    'cake.deleted': (m, f) => ({
      headline: 'Kuchen abgesagt',
      lines: [`Der Kuchen von ${baker(m.cake.bakerName, f, 'de')} am ${f.bold(longDate('de', m.cake.date))} fällt aus.`],
    }),
    'cake.rated': (m, f) => ({
      headline: 'Kuchen bewertet ⭐',
      lines: [
        `Der Kuchen von ${baker(m.cake.bakerName, f, 'de')} vom ${longDate('de', m.cake.date)}: ${f.bold(`★ ${stars(m.rating.average).replace('.', ',')}`)} (${m.rating.count} ${m.rating.count === 1 ? 'Bewertung' : 'Bewertungen'}).`,
      ],
    }),
    'cake_day.open': (m, f) => ({
      headline: 'Offener Kuchentag',
      lines: [`Für ${f.bold(longDate('de', m.date))} fehlt noch ein Kuchen.`],
    }),
    'assignment.changed': (m, f) => {
      const who = f.user(clip(m.assignment.userName, MAX_NAME));
      const day = f.bold(longDate('de', m.assignment.date));
      const line = {
        pending: `${who} ist für ${day} zum Backen angefragt.`,
        accepted: `${who} backt am ${day}.`,
        declined: `${who} kann am ${day} nicht backen.`,
        withdrawn: `Die Anfrage an ${who} für ${day} ist zurückgezogen.`,
      }[m.assignment.status];
      return { headline: 'Kuchentag-Zuteilung', lines: [line] };
    },
    'handover.offered': (m, f) => ({
      headline: 'Kuchentag abzugeben',
      lines: [
        `${f.user(clip(m.handover.offeredBy, MAX_NAME))} gibt den Kuchentag ${f.bold(longDate('de', m.handover.date))} ab.`,
      ],
    }),
    'handover.taken': (m, f) => ({
      headline: 'Kuchentag übernommen',
      lines: [
        `${f.user(clip(m.handover.takenBy ?? '', MAX_NAME))} übernimmt den ${f.bold(longDate('de', m.handover.date))} von ${f.user(clip(m.handover.offeredBy, MAX_NAME))}.`,
      ],
    }),
    'hall_of_fame.weekly': (m, f) => ({
      headline: 'Hall of Fame der Woche 🏆',
      lines:
        m.cakes.length === 0
          ? ['Letzte Woche wurde kein Kuchen bewertet.']
          : m.cakes.map(
              (c, i) =>
                `${i + 1}. ${baker(c.bakerName, f, 'de')}${c.description ? `: ${f.user(clip(c.description, MAX_DESCRIPTION))}` : ''} ${f.bold(`★ ${stars(c.average).replace('.', ',')}`)} (${c.count})`,
            ),
    }),
    'channel.test': () => ({ headline: 'Cake Planner', lines: ['Testnachricht: Dieser Kanal ist verbunden.'] }),
  },
};

function baker(name: string | null, f: Formatter, language: Language): string {
  if (name === null) return language === 'de' ? 'Ein gelöschtes Konto' : 'A deleted account';
  return f.bold(f.user(clip(name, MAX_NAME)));
}

const described = (cake: { description: string }, f: Formatter) =>
  cake.description ? [f.user(clip(cake.description, MAX_DESCRIPTION))] : [];

export function messageText(language: Language, message: ChannelMessage, f: Formatter): MessageText {
  return (texts[language][message.type] as (m: ChannelMessage, f: Formatter) => MessageText)(message, f);
}
