/**
 * The events version (src/events/events-version.ts) and the triggers behind
 * it: whatever writes the tables, what a caller's event lists show cannot
 * change without their version (or its moment: the day) changing; changes
 * in other groups leave it as it is.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/client';
import { eachChangeMovesVersion } from '../helpers/versions';
import { eventsMoment, eventsVersionQuery } from '../../src/events/events-version';
import { createGroup, createUser, groupWith } from '../helpers/api';
import { galleryPhotoInsert, insertEvent, ratingInsert } from '../helpers/events';

const versionOf = async (userId: string) => (await eventsVersionQuery(createDb(env.DB), userId))[0]!.version;
const run = (sql: string, ...params: unknown[]) => env.DB.prepare(sql).bind(...params).run();

async function world() {
  const { group, users: [me, baker, rater] } = await groupWith(3);
  const past = await insertEvent({ groupId: group.id, bakerId: baker!.id, date: '2026-01-10' });
  await env.DB.batch([ratingInsert(past, rater!.id, 4), galleryPhotoInsert(past, rater!.id, `events/${past}/a.png`)]);
  const { group: other, users: [stranger] } = await groupWith(1);
  const elsewhere = await insertEvent({ groupId: other.id, bakerId: stranger!.id, date: '2026-01-10' });
  return { group, other, past, elsewhere, me: me!, baker: baker!, rater: rater!, stranger: stranger! };
}

describe('a member’s events version changes with everything their event lists show', () => {
  eachChangeMovesVersion(world, versionOf, [
    ['a new event', (w) => insertEvent({ groupId: w.group.id, bakerId: w.baker.id, date: '2026-02-01' })],
    ['an event’s description', (w) => run("update events set description = 'Plum cake' where id = ?", w.past)],
    ['an event deleted', (w) => run('delete from events where id = ?', w.past)],
    ['a rating added', (w) => ratingInsert(w.past, w.me.id, 5).run()],
    ['a rating changed', (w) => run('update ratings set stars = 1 where event_id = ? and user_id = ?', w.past, w.rater.id)],
    ['a rating removed', (w) => run('delete from ratings where event_id = ? and user_id = ?', w.past, w.rater.id)],
    ['a gallery photo added', (w) => galleryPhotoInsert(w.past, w.me.id, `events/${w.past}/b.png`).run()],
    ['a gallery photo removed', (w) => run('delete from event_photos where event_id = ? and user_id = ?', w.past, w.rater.id)],
    ['the cover photo', (w) => run('update events set cover_photo_key = ? where id = ?', `events/${w.past}/c.png`, w.past)],
    ['the baker renamed', (w) => run("update users set name = 'New Baker Name' where id = ?", w.baker.id)],
    ['a photographer renamed', (w) => run("update users set name = 'New Photographer' where id = ?", w.rater.id)],
    ['the baker’s account erased (baker set null)', (w) => run('delete from users where id = ?', w.baker.id)],
    ['the group renamed', (w) => run('update groups set name = ? where id = ?', `Renamed ${crypto.randomUUID()}`, w.group.id)],
    ['the group’s time zone', (w) => run("update groups set time_zone = 'Asia/Tokyo' where id = ?", w.group.id)],
    ['the member’s role', (w) => run("update memberships set role = 'admin' where user_id = ? and group_id = ?", w.me.id, w.group.id)],
    ['the member joining another group', async (w) => run('insert into memberships (user_id, group_id, role, created_at) values (?, ?, ?, ?)', w.me.id, (await createGroup()).id, 'member', new Date().toISOString())],
  ]);
});

describe('a member’s events version stays while nothing their lists show changes', () => {
  it('events, ratings, photos and names in another group; sign-ins', async () => {
    const w = await world();
    const before = await versionOf(w.me.id);
    const voter = await createUser();
    await env.DB.batch([
      ratingInsert(w.elsewhere, voter.id, 2),
      galleryPhotoInsert(w.elsewhere, voter.id, `events/${w.elsewhere}/z.png`),
      env.DB.prepare("update events set description = 'Elsewhere' where id = ?").bind(w.elsewhere),
      env.DB.prepare("update users set name = 'Far Away' where id = ?").bind(w.stranger.id),
      env.DB.prepare('update users set last_login_at = ? where id = ?').bind(new Date().toISOString(), w.baker.id),
      env.DB.prepare("update groups set description = 'words' where id = ?").bind(w.group.id),
    ]);
    await insertEvent({ groupId: w.other.id, bakerId: w.stranger.id, date: '2026-03-01' });
    expect(await versionOf(w.me.id)).toBe(before);
  });
});

describe('the moment: the day where the lists’ groups are, and the photo URLs’ expiry', () => {
  const version = 'member:g1:member:7:Pacific/Kiritimati,g2:admin:9:America/Los_Angeles';
  it('is the same all day and differs after midnight in any of the zones', () => {
    const morning = new Date('2026-06-01T08:00:00Z');
    expect(eventsMoment(version, new Date('2026-06-01T08:30:00Z'))).toBe(eventsMoment(version, morning));
    // 10:00 UTC is midnight in Kiritimati (UTC+14), 07:00 midnight in Los Angeles (UTC-7 in June).
    expect(eventsMoment(version, new Date('2026-06-01T10:30:00Z'))).not.toBe(eventsMoment(version, morning));
    expect(eventsMoment(version, new Date('2026-06-01T06:30:00Z'))).not.toBe(eventsMoment(version, morning));
  });

  it('a global admin’s names every group’s zone', () => {
    const admin = 'all:g1:7:Pacific/Kiritimati,g2:9:Europe/Berlin';
    expect(eventsMoment(admin, new Date('2026-06-01T10:30:00Z'))).not.toBe(eventsMoment(admin, new Date('2026-06-01T08:00:00Z')));
    expect(eventsMoment('member:', new Date('2026-06-01T08:00:00Z'))).toMatch(/^\d+\|$/);
  });
});
