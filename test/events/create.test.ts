/** POST /api/events: signing up to bring cake (JSON, or multipart with a cover image). */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { addMember, call, createUser, expectProblem, groupWith, json, type TestUser } from '../helpers/api';
import { createEvent, dayIn, eventForm, pathOf, photoKeys, photosAddedSince, pngFile } from '../helpers/events';
import { callWithMailbox } from '../helpers/mailbox';

const post = (user: TestUser, body: unknown) => call('POST', '/api/events', { token: user.token, body });
const postForm = (user: TestUser, form: FormData) => call('POST', '/api/events', { token: user.token, form });
const listAround = async (user: TestUser) =>
  json(call('GET', `/api/events?start=${dayIn(0)}&end=${dayIn(2)}`, { token: user.token }), 200);

describe('happy', () => {
  it('answers the full event to a JSON sign-up, the group implied by the baker’s only membership', async () => {
    const { group, users } = await groupWith(1);
    const [anna] = users as [TestUser];
    const upcoming = await createEvent(anna, { date: dayIn(7), description: 'Käsekuchen' });
    expect(upcoming).toMatchObject({
      groupId: group.id,
      groupName: group.name,
      bakerId: anna.id,
      bakerName: anna.name,
      date: dayIn(7),
      description: 'Käsekuchen',
      photoUrl: null,
      gallery: [],
      isOwner: true,
      isFuture: true,
      canDelete: true,
      canRate: false,
      rating: { average: 0, count: 0, myRating: 0 },
    });
    expect(upcoming.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('takes multipart with a cover image in field image, like the web frontend, and serves the cover', async () => {
    const { group, users } = await groupWith(1);
    const [ben] = users as [TestUser];
    const created = await json(postForm(ben, eventForm({ date: dayIn(-1), groupId: group.id }, { image: pngFile() })), 201);
    expect(created).toMatchObject({ id: expect.any(String), message: expect.any(String) });
    const past = created.event;
    expect(past.description).toBe('');
    expect(past.photoUrl).toMatch(new RegExp(`^https://cake.test/api/photos/\\d+/[\\w-]+/events/${past.id}/[\\w-]+\\.png$`));
    const cover = await call('GET', pathOf(past.photoUrl));
    expect(cover.status).toBe(200);
    expect(cover.headers.get('content-type')).toBe('image/png');
    expect(new Uint8Array(await cover.arrayBuffer()).length).toBe(70);
  });

  it('accepts the cover in field photo too', async () => {
    const { users } = await groupWith(1);
    const res = await json(postForm(users[0]!, eventForm({ date: dayIn(1) }, { photo: pngFile() })), 201);
    expect(res.event.photoUrl).toContain('.png');
  });

  it('takes multipart without a cover', async () => {
    const { users } = await groupWith(1);
    const res = await json(postForm(users[0]!, eventForm(JSON.stringify({ date: dayIn(2) }))), 201);
    expect(res.event.photoUrl).toBeNull();
  });

  it('treats an empty file field (an unfilled file input) as no cover', async () => {
    const { users } = await groupWith(1);
    const empty = new File([], '', { type: 'application/octet-stream' });
    const res = await json(postForm(users[0]!, eventForm({ date: dayIn(1) }, { image: empty })), 201);
    expect(res.event.photoUrl).toBeNull();
  });

  it('takes the longest description in a multipart event field, even written all in \\u escapes', async () => {
    const { users } = await groupWith(1);
    const field = `{"date":"${dayIn(1)}","description":"${'\\ud83c\\udf70'.repeat(1000)}"}`;
    const res = await json(postForm(users[0]!, eventForm(field)), 201);
    expect(res.event.description).toBe('🍰'.repeat(1000));
  });

  it('takes null for description and groupId as not given', async () => {
    const { group, users } = await groupWith(1);
    const nulls = await json(post(users[0]!, { date: dayIn(1), description: null, groupId: null }), 201);
    expect(nulls.event).toMatchObject({ description: '', groupId: group.id });
  });

  it('takes a description of 2000 characters', async () => {
    const { users } = await groupWith(1);
    const res = await json(post(users[0]!, { date: dayIn(1), description: 'x'.repeat(2000) }), 201);
    expect(res.event.description).toHaveLength(2000);
  });

  it('takes the named group of a member of several', async () => {
    const first = await groupWith(1);
    const second = await groupWith(0);
    const [anna] = first.users as [TestUser];
    await addMember(anna.id, second.group.id);
    const e = await createEvent(anna, { date: dayIn(1), groupId: second.group.id });
    expect(e.groupId).toBe(second.group.id);
  });

  it('mails the other active members in their language', async () => {
    const { group, users } = await groupWith(3);
    const [anna, ben] = users as [TestUser, TestUser];
    await env.DB.prepare("update users set email_language = 'de' where id = ?").bind(ben.id).run();
    const { res, mails } = await callWithMailbox('POST', '/api/events', {
      token: anna.token,
      body: { date: dayIn(3), groupId: group.id, description: 'Apfelstrudel' },
    });
    expect(res.status).toBe(201);
    expect(mails.every((m) => m.template === 'new_event')).toBe(true);
    expect(mails.map((m) => m.to).sort()).toEqual(
      users
        .slice(1)
        .map((u) => u.email)
        .sort(),
    );
    expect(mails.find((m) => m.to === ben.email)!.language).toBe('de');
    expect(mails.find((m) => m.to !== ben.email)!.language).toBe('en');
    expect(mails[0]!.data).toMatchObject({
      bakerName: anna.name,
      groupName: group.name,
      date: dayIn(3),
      description: 'Apfelstrudel',
    });
  });
});

describe('bad input', () => {
  let anna: TestUser;
  beforeAll(async () => {
    anna = (await groupWith(1)).users[0]!;
  });

  it('refuses impossible dates and dates a calendar cannot carry, and a missing date', async () => {
    await expectProblem(post(anna, { date: '2026-02-30' }), 400, 'validation_failed');
    await expectProblem(post(anna, { date: '26-1-1' }), 400, 'validation_failed');
    // Real dates a calendar cannot carry (DTEND of 9999-12-31, unpadded years) are refused, not a 500.
    await expectProblem(post(anna, { date: '9999-12-31' }), 400, 'validation_failed');
    await expectProblem(post(anna, { date: '0001-01-01' }), 400, 'validation_failed');
    await expectProblem(post(anna, {}), 400, 'validation_failed');
  });

  it('refuses a description over 2000 characters', async () => {
    await expectProblem(post(anna, { date: dayIn(1), description: 'x'.repeat(2001) }), 400, 'validation_failed');
  });

  it('answers malformed JSON, as the body or as the multipart event field, with 400 malformed_json', async () => {
    await expectProblem(post(anna, '{"date":'), 400, 'malformed_json');
    await expectProblem(postForm(anna, eventForm('{not json')), 400, 'malformed_json');
  });

  it('refuses a multipart event field over 16 KiB before parsing it (413) and stores nothing', async () => {
    const { users } = await groupWith(1);
    const [baker] = users as [TestUser];
    const padded = JSON.stringify({ date: dayIn(1) }) + ' '.repeat(16 * 1024);
    const nested = `[${'{},'.repeat(300_000)}{}]`;
    // Fewer characters than the cap, more UTF-8 bytes: counted in bytes.
    const wide = JSON.stringify({ date: dayIn(1), description: 'ü'.repeat(8200) });
    for (const field of [padded, nested, wide]) {
      await expectProblem(postForm(baker, eventForm(field)), 413, 'payload_too_large');
    }
    expect(await listAround(baker)).toEqual([]);
  });

  it('validates the multipart event field like a JSON body, and needs it', async () => {
    await expectProblem(postForm(anna, eventForm(JSON.stringify({ date: '2026-13-01' }))), 400, 'validation_failed');
    const noEvent = new FormData();
    noEvent.set('image', pngFile());
    await expectProblem(postForm(anna, noEvent), 400);
  });

  it('needs groupId when the baker has several groups', async () => {
    const first = await groupWith(1);
    const second = await groupWith(0);
    const [member] = first.users as [TestUser];
    await addMember(member.id, second.group.id);
    await expectProblem(post(member, { date: dayIn(1) }), 400, 'validation_failed');
  });

  it('needs a group: a user in none gets 400', async () => {
    const loner = await createUser();
    await expectProblem(post(loner, { date: dayIn(1) }), 400, 'validation_failed');
  });

  it('refuses a cover that is not an image (415) and stores nothing', async () => {
    const { users } = await groupWith(1);
    const [baker] = users as [TestUser];
    const before = await photoKeys();
    const text = new File(['hello, not an image'], 'cake.png', { type: 'image/png' });
    await expectProblem(postForm(baker, eventForm({ date: dayIn(1) }, { image: text })), 415, 'unsupported_media_type');
    expect(await photosAddedSince(before)).toEqual([]);
    expect(await listAround(baker)).toEqual([]);
  });

  it('refuses a cover above 10 MB (413) and writes nothing', async () => {
    const { users } = await groupWith(1);
    const [baker] = users as [TestUser];
    const before = await photoKeys();
    const big = new File([new Uint8Array(10 * 1024 * 1024 + 1)], 'big.png', { type: 'image/png' });
    await expectProblem(postForm(baker, eventForm({ date: dayIn(1) }, { image: big })), 413, 'payload_too_large');
    expect(await photosAddedSince(before)).toEqual([]);
    expect(await listAround(baker)).toEqual([]);
  });
});

describe('security', () => {
  it('refuses a group the baker is not in (403)', async () => {
    const { users } = await groupWith(1);
    const other = await groupWith(0);
    await expectProblem(post(users[0]!, { date: dayIn(1), groupId: other.group.id }), 403, 'forbidden');
  });

  it('never lets a body field set the baker', async () => {
    const { group, users } = await groupWith(1);
    const [anna] = users as [TestUser];
    const e = await createEvent(anna, { date: dayIn(4), groupId: group.id, bakerId: 'someone-else' } as never);
    expect(e.bakerId).toBe(anna.id);
  });
});
