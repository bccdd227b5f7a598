/** GET /api/user/calendar, POST /api/user/calendar/rotate, and the feed they point to: GET /api/calendar/{token}.ics (public: the token is the credential). */

import { env } from 'cloudflare:workers';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../src/lib/time';
import { addMember, adminToken, call, expectProblem, groupWith, json } from '../helpers/api';
import { createEvent, dayIn } from '../helpers/events';

const feedPath = (url: string) => new URL(url).pathname;

describe('happy', () => {
  describe('the feed URL', () => {
    it('gives the caller a feed URL, created on first use, the same ever after', async () => {
      const { users } = await groupWith(1);
      const [anna] = users as [any];
      const first = await json(call('GET', '/api/user/calendar', { token: anna.token }), 200);
      expect(first.url).toMatch(/^https:\/\/cake\.test\/api\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
      expect(first.webcalUrl).toBe(first.url.replace('https://', 'webcal://'));
      expect(await json(call('GET', '/api/user/calendar', { token: anna.token }), 200)).toEqual(first);
      expect((await call('GET', feedPath(first.url))).status).toBe(200);
    });

    it('rotating replaces the URL: the old one answers 404, the new one serves the feed', async () => {
      const { users } = await groupWith(1);
      const [anna] = users as [any];
      const first = await json(call('GET', '/api/user/calendar', { token: anna.token }), 200);
      const rotated = await json(call('POST', '/api/user/calendar/rotate', { token: anna.token }), 200);
      expect(rotated.url).not.toBe(first.url);
      await expectProblem(call('GET', feedPath(first.url)), 404, 'not_found');
      expect((await call('GET', feedPath(rotated.url))).status).toBe(200);
      expect(await json(call('GET', '/api/user/calendar', { token: anna.token }), 200)).toEqual(rotated);
    });
  });

  describe('the feed', () => {
    it('holds the events of all the user’s groups, 90 days back to a year ahead', async () => {
      const first = await groupWith(2);
      const second = await groupWith(1);
      const stranger = await groupWith(1);
      const [anna, ben] = first.users as [any, any];
      await addMember(anna.id, second.group.id);
      // The window's edges, counted from the feed's (UTC) today: both ends are inside.
      const utcDay = (days: number) => addDays(new Date().toISOString().slice(0, 10), days);
      const inFirst = await createEvent(ben, { date: utcDay(-90), description: 'Schwarzwälder Kirschtorte; mit Sahne, viel' });
      const inSecond = await createEvent(second.users[0]!, { date: utcDay(365) });
      const tooOld = await createEvent(ben, { date: utcDay(-91) });
      const tooFar = await createEvent(ben, { date: utcDay(366) });
      const foreign = await createEvent(stranger.users[0]!, { date: dayIn(1) });

      const { url } = await json(call('GET', '/api/user/calendar', { token: anna.token }), 200);
      const res = await call('GET', feedPath(url));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
      const text = await res.text();
      for (const line of text.split('\r\n')) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
      expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
      // RFC 5545 TEXT escaping, seen in the raw text (parsers also accept it unescaped).
      expect(text.replace(/\r\n /g, '')).toContain('DESCRIPTION:Schwarzwälder Kirschtorte\\; mit Sahne\\, viel');

      const vevents = new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
      const uids = vevents.map((v) => v.uid);
      expect(uids).toContain(`${inFirst.id}@cake-planner`);
      expect(uids).toContain(`${inSecond.id}@cake-planner`);
      for (const e of [tooOld, tooFar, foreign]) expect(uids).not.toContain(`${e.id}@cake-planner`);
      const cake = vevents.find((v) => v.uid === `${inFirst.id}@cake-planner`)!;
      expect(cake.startDate.isDate).toBe(true);
      expect(cake.startDate.toString()).toBe(inFirst.date);
      expect(cake.description).toBe('Schwarzwälder Kirschtorte; mit Sahne, viel');
      expect(cake.summary).toContain(ben.name);
    });

    it('supports ETag / If-None-Match and changes when an event changes', async () => {
      const { users } = await groupWith(1);
      const [anna] = users as [any];
      await createEvent(anna, { date: dayIn(2) });
      const { url } = await json(call('GET', '/api/user/calendar', { token: anna.token }), 200);
      const res = await call('GET', feedPath(url));
      const etag = res.headers.get('etag')!;
      expect(etag).toMatch(/^".+"$/);
      const again = await call('GET', feedPath(url), { headers: { 'If-None-Match': etag } });
      expect(again.status).toBe(304);
      expect(await again.text()).toBe('');
      await createEvent(anna, { date: dayIn(3) });
      const changed = await call('GET', feedPath(url), { headers: { 'If-None-Match': etag } });
      expect(changed.status).toBe(200);
      expect(changed.headers.get('etag')).not.toBe(etag);
    });

    it('a feed fetched again serves the calendar it built, and after a change the new one, never the one before', async () => {
      const { users } = await groupWith(1);
      const [anna] = users as [any];
      const first = await createEvent(anna, { date: dayIn(2), description: 'First cake' });
      const { url } = await json(call('GET', '/api/user/calendar', { token: anna.token }), 200);
      const built = await (await call('GET', feedPath(url))).text();
      expect(built).toContain(`${first.id}@cake-planner`);
      expect(await (await call('GET', feedPath(url))).text()).toBe(built);
      const second = await createEvent(anna, { date: dayIn(4), description: 'Second cake' });
      const changed = await (await call('GET', feedPath(url))).text();
      expect(changed).toContain(`${second.id}@cake-planner`);
      expect(changed).toContain(`${first.id}@cake-planner`);
      // Rotating the URL ends the old one at once, though its calendar was just served.
      await json(call('POST', '/api/user/calendar/rotate', { token: anna.token }), 200);
      await expectProblem(call('GET', feedPath(url)), 404, 'not_found');
    });

    it('shows the owner’s pending assignment as “Your cake day (please confirm)”; once accepted, its cake instead', async () => {
      const { group, users } = await groupWith(2);
      const [lead, anna] = users as [any, any];
      await addMember(lead.id, group.id, 'admin');
      const schedule = { rule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU', startDate: dayIn(0) };
      await json(call('PUT', `/api/groups/${group.id}/schedule`, { token: lead.token, body: schedule }), 200);
      const assign = `/api/groups/${group.id}/cake-days/${dayIn(3)}/assignment`;
      const made = await json(call('POST', assign, { token: lead.token, body: { userId: anna.id } }), 201);
      const feedOf = async (user: any) =>
        (await call('GET', feedPath((await json(call('GET', '/api/user/calendar', { token: user.token }), 200)).url))).text();
      const entries = (text: string) =>
        new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
      const pending = entries(await feedOf(anna));
      expect(pending.map((e) => [e.uid, e.summary, e.startDate.toString()])).toEqual([
        [`assignment-${made.id}@cake-planner`, `Your cake day (please confirm) (${group.name})`, dayIn(3)],
      ]);
      // Only the assignee's feed shows it.
      expect(entries(await feedOf(lead))).toEqual([]);
      await json(call('POST', '/api/user/settings', { token: anna.token, body: { language: 'de' } }), 200);
      expect(entries(await feedOf(anna))[0]!.summary).toBe(`Dein Kuchentag (bitte bestätigen) (${group.name})`);
      const { event } = await json(call('POST', `/api/assignments/${made.id}/accept`, { token: anna.token }), 201);
      expect(entries(await feedOf(anna)).map((e) => e.uid)).toEqual([`${event.id}@cake-planner`]);
    });

    it('a poll answers 304 until the feed would show something else: events, names, language, groups; not ratings', async () => {
      const { group, users } = await groupWith(2);
      const [anna, ben] = users as [any, any];
      const past = await createEvent(ben, { date: dayIn(-2) });
      const { url } = await json(call('GET', '/api/user/calendar', { token: anna.token }), 200);
      let etag = (await call('GET', feedPath(url))).headers.get('etag')!;
      const poll = async () => {
        const res = await call('GET', feedPath(url), { headers: { 'If-None-Match': etag } });
        if (res.status === 200) etag = res.headers.get('etag')!;
        return res.status;
      };
      expect(await poll()).toBe(304);
      await json(call('POST', `/api/events/${past.id}/rate`, { token: anna.token, body: { stars: 4 } }), 200);
      expect(await poll()).toBe(304);
      await env.DB.prepare('update users set name = ? where id = ?').bind('Benedikt', ben.id).run();
      expect(await poll()).toBe(200);
      expect(await poll()).toBe(304);
      await env.DB.prepare('update groups set name = ? where id = ?').bind(`Renamed ${group.id}`, group.id).run();
      expect(await poll()).toBe(200);
      await json(call('POST', '/api/user/settings', { token: anna.token, body: { language: 'de' } }), 200);
      expect(await poll()).toBe(200);
      await json(call('DELETE', `/api/events/${past.id}`, { token: await adminToken() }), 200);
      expect(await poll()).toBe(200);
      const other = await groupWith(1);
      await addMember(anna.id, other.group.id);
      expect(await poll()).toBe(200);
      // A baker's account erased: their past cakes show "Deleted user".
      const kept = await createEvent(other.users[0]!, { date: dayIn(-1) });
      expect(await poll()).toBe(200);
      await json(call('DELETE', '/api/user', { token: other.users[0]!.token }), 200);
      const after = await call('GET', feedPath(url), { headers: { 'If-None-Match': etag } });
      expect(after.status).toBe(200);
      expect(await after.text()).toContain('Deleted user');
      expect(kept.id).toBeTruthy();
    });
  });
});

describe('bad input', () => {
  it('answers 404 for an unknown token, a malformed one, and a path without .ics', async () => {
    await expectProblem(call('GET', `/api/calendar/${'A'.repeat(43)}.ics`), 404, 'not_found');
    await expectProblem(call('GET', '/api/calendar/short.ics'), 404);
    const { users } = await groupWith(1);
    const [anna] = users as [any];
    const { url } = await json(call('GET', '/api/user/calendar', { token: anna.token }), 200);
    await expectProblem(call('GET', feedPath(url).replace(/\.ics$/, '')), 404);
  });
});

describe('security', () => {
  it('stores the feed token only as its SHA-256 hash', async () => {
    const { users } = await groupWith(1);
    const [anna] = users as [any];
    const first = await json(call('GET', '/api/user/calendar', { token: anna.token }), 200);
    const token = /\/([^/]+)\.ics$/.exec(first.url)![1]!;
    const row = await env.DB.prepare('select calendar_token_hash as h from users where id = ?')
      .bind(anna.id)
      .first<{ h: string }>();
    expect(row!.h).not.toContain(token);
    const digest = [...new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token)))]
      .map((b) => b.toString(16).padStart(2, '0'))
      .join('');
    expect(row!.h.startsWith(digest)).toBe(true);
  });

  it('answers 404 for the feed of a deactivated user', async () => {
    const { users } = await groupWith(1);
    const [anna] = users as [any];
    const { url } = await json(call('GET', '/api/user/calendar', { token: anna.token }), 200);
    await json(call('PUT', `/api/admin/users/${anna.id}/status`, { token: await adminToken(), body: { isActive: false } }), 200);
    await expectProblem(call('GET', feedPath(url)), 404, 'not_found');
  });
});
