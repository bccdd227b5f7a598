/**
 * One message, rendered for each kind of channel: the exact request body.
 *
 * - Slack (incoming webhook): `text` (the notification) and Block Kit
 *   blocks; user text has `&`, `<`, `>` escaped, so `<!channel>` or a link
 *   is shown, never acted on; header ≤ 150 and section ≤ 3000 characters.
 * - Teams (Workflows webhook): a `message` with one Adaptive Card 1.4
 *   attachment; Markdown characters in user text are escaped; the only
 *   action is `Action.OpenUrl`.
 * - Discord: one embed (title ≤ 256, description ≤ 4096), Markdown
 *   escaped, `@` broken with a zero-width space, and `allowed_mentions:
 *   {parse: []}` so nothing pings whatever the text says.
 * - Generic webhook: `{type, timestamp, groupId, data}`, thin: ids, dates,
 *   names, the description and the cake's API URL.
 */
import type { ChannelKind, Language } from '../db/schema';
import type { CakeFacts, ChannelMessage } from './events';
import { type Formatter, type MessageText, messageText } from './texts';

export interface RenderContext {
  language: Language;
  /** The API's public origin, for the cake's URL (`''`: a path only). */
  origin: string;
}

const SLACK_HEADER_MAX = 150;
const SLACK_SECTION_MAX = 3000;
const DISCORD_TITLE_MAX = 256;
const DISCORD_DESCRIPTION_MAX = 4096;

const cut = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

const slackFormat: Formatter = {
  user: (t) => t.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;'),
  bold: (t) => `*${t}*`,
};

/** Adaptive Card TextBlocks read a Markdown subset: every character that could start markup is escaped. */
const teamsFormat: Formatter = {
  user: (t) => t.replace(/[\\`*_{}[\]()#+\-.!<>|~]/g, '\\$&'),
  bold: (t) => `**${t}**`,
};

const discordFormat: Formatter = {
  user: (t) => t.replace(/[\\`*_~|>#[\]()<:-]/g, '\\$&').replaceAll('@', '@\u200b'),
  bold: (t) => `**${t}**`,
};

function slack(text: MessageText) {
  // Each line is its own section, so no section nears the limit; a cut can only drop whole entities' tails.
  const sections = text.lines.map((line) => ({ type: 'section', text: { type: 'mrkdwn', text: cut(line, SLACK_SECTION_MAX) } }));
  return {
    text: cut(text.lines[0] ?? text.headline, SLACK_SECTION_MAX),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: cut(text.headline, SLACK_HEADER_MAX), emoji: true } },
      ...sections,
    ],
  };
}

function teams(text: MessageText, origin: string) {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            { type: 'TextBlock', text: text.headline, weight: 'Bolder', size: 'Medium', wrap: true },
            ...text.lines.map((line) => ({ type: 'TextBlock', text: line, wrap: true })),
          ],
          ...(origin.startsWith('https://') ? { actions: [{ type: 'Action.OpenUrl', title: 'Cake Planner', url: origin }] } : {}),
        },
      },
    ],
  };
}

function discord(text: MessageText, at: string) {
  return {
    allowed_mentions: { parse: [] },
    embeds: [
      {
        title: cut(text.headline, DISCORD_TITLE_MAX),
        description: cut(text.lines.join('\n'), DISCORD_DESCRIPTION_MAX),
        color: 0xe8a33d,
        timestamp: at,
      },
    ],
  };
}

const cakeData = (cake: CakeFacts, origin: string) => ({
  eventId: cake.eventId,
  date: cake.date,
  bakerName: cake.bakerName,
  description: cake.description,
  url: `${origin}/api/events/${cake.eventId}`,
});

/** The generic kind's `data`: what a receiver needs to act, and where to read more. */
function genericData(m: ChannelMessage, origin: string): Record<string, unknown> {
  switch (m.type) {
    case 'cake.created':
    case 'cake.tomorrow':
    case 'cake.updated':
    case 'cake.deleted':
      return cakeData(m.cake, origin);
    case 'cake.rated':
      return { ...cakeData(m.cake, origin), rating: m.rating };
    case 'cake_day.open':
      return { date: m.date };
    case 'assignment.changed':
      return {
        assignmentId: m.assignment.id,
        date: m.assignment.date,
        userName: m.assignment.userName,
        status: m.assignment.status,
      };
    case 'handover.offered':
    case 'handover.taken':
      return {
        handoverId: m.handover.id,
        eventId: m.handover.eventId,
        date: m.handover.date,
        offeredBy: m.handover.offeredBy,
        takenBy: m.handover.takenBy,
        url: `${origin}/api/events/${m.handover.eventId}`,
      };
    case 'hall_of_fame.weekly':
      return { week: m.week, cakes: m.cakes.map((c) => ({ ...cakeData(c, origin), average: c.average, count: c.count })) };
    case 'channel.test':
      return {};
  }
}

/** The request body for a channel of `kind`, as sent (JSON text). */
export function renderMessage(kind: ChannelKind, message: ChannelMessage, context: RenderContext): string {
  switch (kind) {
    case 'slack':
      return JSON.stringify(slack(messageText(context.language, message, slackFormat)));
    case 'teams':
      return JSON.stringify(teams(messageText(context.language, message, teamsFormat), context.origin));
    case 'discord':
      return JSON.stringify(discord(messageText(context.language, message, discordFormat), message.at));
    case 'webhook':
      return JSON.stringify({
        type: message.type,
        timestamp: message.at,
        groupId: message.groupId,
        data: genericData(message, context.origin),
      });
  }
}
