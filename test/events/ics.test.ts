/** GET /api/events/{id}/ics: the event as an iCalendar file. */
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { addMember, call, createUser, expectProblem, groupWith } from '../helpers/api';
import { createEvent, dayIn, neighboursOfBlock } from '../helpers/events';

const octets = (line: string) => new TextEncoder().encode(line).length;

function expectWellFormed(text: string) {
  expect(text.endsWith('\r\n')).toBe(true);
  // No bare LF or CR: every line ends with CRLF.
  expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  for (const line of text.split('\r\n')) expect(octets(line), line).toBeLessThanOrEqual(75);
}

describe('happy', () => {
  it('is one all-day VEVENT that parses back, with injection kept inside DESCRIPTION', async () => {
    const { users } = await groupWith(1);
    const [anna] = users as [any];
    const description =
      'x\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:evil; with, commas \\ and a lone\rCR and 🎂🎂 Käsekuchen mit Sahne und Früchten, '.repeat(
        3,
      );
    const event = await createEvent(anna, { date: '2026-12-31', description });

    const res = await call('GET', `/api/events/${event.id}/ics`, { token: anna.token });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="?[\w.-]+\.ics"?$/);
    const text = await res.text();
    expectWellFormed(text);
    expect(text).toContain('\r\nDTSTART;VALUE=DATE:20261231\r\n');
    expect(text).toContain('\r\nDTEND;VALUE=DATE:20270101\r\n');
    expect(text.match(/^BEGIN:VEVENT\r$/gm)).toHaveLength(1);

    const calendar = new ICAL.Component(ICAL.parse(text));
    const vevents = calendar.getAllSubcomponents('vevent');
    expect(vevents).toHaveLength(1);
    const vevent = new ICAL.Event(vevents[0]!);
    expect(vevent.uid).toBe(`${event.id}@cake-planner`);
    expect(vevent.summary).toBe(`Cake by ${anna.name} (${event.groupName})`);
    // CRLF and a lone CR both come back as newlines; everything else verbatim.
    expect(vevent.description).toBe(description.replace(/\r\n|\r/g, '\n'));
    expect(vevent.startDate.isDate).toBe(true);
    expect(vevent.startDate.toString()).toBe('2026-12-31');
    expect(vevent.endDate.toString()).toBe('2027-01-01');

    // Stable UID across downloads.
    const again = await (await call('GET', `/api/events/${event.id}/ics`, { token: anna.token })).text();
    expect(again).toBe(text);
  });

  it('speaks the caller’s language', async () => {
    const { group, users } = await groupWith(1);
    const [anna] = users as [any];
    const bernd = await createUser({ language: 'de' });
    await addMember(bernd.id, group.id);
    const event = await createEvent(anna, { date: dayIn(2) });
    const text = await (await call('GET', `/api/events/${event.id}/ics`, { token: bernd.token })).text();
    const vevent = new ICAL.Event(new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent('vevent')!);
    expect(vevent.summary).toBe(`Kuchen von ${anna.name} (${group.name})`);
  });

  it('folds long multi-byte lines at 75 octets without splitting characters', async () => {
    const { users } = await groupWith(1);
    const [anna] = users as [any];
    const description = 'Ä'.repeat(100) + '🎂'.repeat(50) + 'a'.repeat(7);
    const event = await createEvent(anna, { date: dayIn(1), description });
    const res = await call('GET', `/api/events/${event.id}/ics`, { token: anna.token });
    expect(res.status).toBe(200);
    const body = await res.text();
    expectWellFormed(body);
    expect(body).not.toContain('\uFFFD');
    const vevent = new ICAL.Event(new ICAL.Component(ICAL.parse(body)).getFirstSubcomponent('vevent')!);
    expect(vevent.description).toBe(description);
  });
});

describe('security', () => {
  const n = neighboursOfBlock();

  it('answers another group’s member 404 for an event, past or upcoming', async () => {
    for (const e of [n.past, n.upcoming]) {
      await expectProblem(call('GET', `/api/events/${e.id}/ics`, { token: n.olga.token }), 404, 'not_found');
    }
  });
});
