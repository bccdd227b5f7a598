/** What each kind of channel receives: the exact bodies (snapshots), the escaping, the limits, the languages. */
import { describe, expect, it } from 'vitest';
import type { ChannelMessage } from '../../src/channels/events';
import { CHANNEL_EVENTS } from '../../src/channels/events';
import { renderMessage } from '../../src/channels/render';
import type { ChannelKind } from '../../src/db/schema';

const KINDS: ChannelKind[] = ['slack', 'teams', 'discord', 'webhook'];
const at = '2026-12-10T06:00:00.000Z';
const groupId = 'g-1';
const cake = { eventId: 'e-1', date: '2026-12-11', bakerName: 'Jonas', description: 'Frankfurter Kranz' };

const examples: ChannelMessage[] = [
  { groupId, at, type: 'cake.created', cake },
  { groupId, at, type: 'cake.tomorrow', cake },
  { groupId, at, type: 'cake.updated', cake },
  { groupId, at, type: 'cake.deleted', cake: { ...cake, description: '' } },
  { groupId, at, type: 'cake.rated', cake, rating: { average: 4.5, count: 2 } },
  { groupId, at, type: 'cake_day.open', date: '2026-12-12' },
  { groupId, at, type: 'assignment.changed', assignment: { id: 'a-1', date: '2026-12-14', userName: 'Mia', status: 'pending' } },
  {
    groupId,
    at,
    type: 'handover.offered',
    handover: { id: 'h-1', eventId: 'e-1', date: '2026-12-11', offeredBy: 'Jonas', takenBy: null },
  },
  {
    groupId,
    at,
    type: 'handover.taken',
    handover: { id: 'h-1', eventId: 'e-1', date: '2026-12-11', offeredBy: 'Jonas', takenBy: 'Mia' },
  },
  {
    groupId,
    at,
    type: 'hall_of_fame.weekly',
    week: '2026-12-14',
    cakes: [
      { ...cake, average: 4.5, count: 4 },
      { eventId: 'e-2', date: '2026-12-09', bakerName: 'Mia', description: '', average: 4, count: 1 },
    ],
  },
  { groupId, at, type: 'channel.test' },
];

const render = (kind: ChannelKind, m: ChannelMessage, language: 'de' | 'en' = 'en') =>
  JSON.parse(renderMessage(kind, m, { language, origin: 'https://cake.example.org' }));

const hostile = '@everyone <!channel> **x** <@123> [link](https://evil.org) & <b>';

describe('rendering', () => {
  it('covers every event type of the contract', () => {
    expect(new Set(examples.map((m) => m.type))).toEqual(new Set([...CHANNEL_EVENTS, 'channel.test']));
  });

  for (const kind of KINDS) {
    it(`renders every event for ${kind} (exact JSON, English and German)`, () => {
      expect(
        Object.fromEntries(examples.map((m) => [m.type, { en: render(kind, m), de: render(kind, m, 'de') }])),
      ).toMatchSnapshot();
    });
  }

  it('gives the generic kind a thin payload: type, timestamp, groupId and data with ids and the cake’s API URL', () => {
    expect(render('webhook', examples[0]!)).toEqual({
      type: 'cake.created',
      timestamp: at,
      groupId,
      data: {
        eventId: 'e-1',
        date: '2026-12-11',
        bakerName: 'Jonas',
        description: 'Frankfurter Kranz',
        url: 'https://cake.example.org/api/events/e-1',
      },
    });
  });

  it('writes in the group’s language', () => {
    expect(render('slack', examples[1]!, 'en').text).toContain('Tomorrow: *Jonas* brings Frankfurter Kranz');
    expect(render('slack', examples[1]!, 'de').text).toContain('Morgen: *Jonas* bringt Frankfurter Kranz mit');
  });
});

describe('escaping', () => {
  const m: ChannelMessage = { groupId, at, type: 'cake.created', cake: { ...cake, bakerName: hostile, description: hostile } };

  it('Slack: & < > escaped, so no mention, link or tag is acted on', () => {
    const body = renderMessage('slack', m, { language: 'en', origin: '' });
    expect(body).not.toMatch(/<!channel>|<@123>|<b>/);
    const section = render('slack', m).blocks[1].text.text as string;
    expect(section).toContain('&lt;!channel&gt;');
    expect(section).toContain('&lt;@123&gt;');
    expect(section).toContain('&amp; &lt;b&gt;');
  });

  it('Discord: mentions never parsed, markup and @ broken', () => {
    const got = render('discord', m);
    expect(got.allowed_mentions).toEqual({ parse: [] });
    const text = got.embeds[0].description as string;
    expect(text).not.toContain('@everyone');
    expect(text).toContain('@\u200beveryone');
    expect(text).toContain('\\*\\*x\\*\\*');
    expect(text).toContain('\\[link\\]\\(https\\://evil.org\\)');
    expect(text).toContain('\\<@\u200b123\\>');
  });

  it('Teams: Markdown escaped, and Action.OpenUrl the only action', () => {
    const card = render('teams', m).attachments[0].content;
    expect(card.version).toBe('1.4');
    const text = card.body.map((b: { text: string }) => b.text).join('\n');
    expect(text).toContain('\\*\\*x\\*\\*');
    expect(text).toContain('\\[link\\]\\(https://evil\\.org\\)');
    expect(card.actions.map((a: { type: string }) => a.type)).toEqual(['Action.OpenUrl']);
  });

  it('the generic kind carries the text as it is (JSON escapes it)', () => {
    expect(render('webhook', m).data.description).toBe(hostile);
  });
});

describe('limits', () => {
  const long = 'A'.repeat(5000);
  const m: ChannelMessage = {
    groupId,
    at,
    type: 'cake.created',
    cake: { ...cake, bakerName: long, description: `${'&'.repeat(4000)}` },
  };

  it('Slack: header ≤ 150, each section ≤ 3000, text ≤ 3000 characters', () => {
    const got = render('slack', m);
    expect(got.blocks[0].text.text.length).toBeLessThanOrEqual(150);
    for (const block of got.blocks.slice(1)) expect(block.text.text.length).toBeLessThanOrEqual(3000);
    expect(got.text.length).toBeLessThanOrEqual(3000);
    expect(got.blocks.length).toBeLessThanOrEqual(50);
  });

  it('Discord: title ≤ 256, description ≤ 4096 characters', () => {
    const got = render('discord', m).embeds[0];
    expect(got.title.length).toBeLessThanOrEqual(256);
    expect(got.description.length).toBeLessThanOrEqual(4096);
  });

  it('names and descriptions are shortened with an ellipsis', () => {
    const section = render('slack', m).blocks[1].text.text as string;
    expect(section).toContain(`${'A'.repeat(99)}…`);
    expect(section).not.toContain('A'.repeat(101));
  });
});
