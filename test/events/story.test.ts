import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, createUser, expectProblem, groupWith, json } from '../helpers/api';
import { createEvent, dayIn, eventForm, pathOf, photoKeys, photosAddedSince, pngFile, uploadPhoto } from '../helpers/events';
import { callWithMailbox } from '../helpers/mailbox';

describe('the story of a group', () => {
  it('plans, shows, rates and ranks cakes', async () => {
    const { group, users } = await groupWith(3);
    const [anna, ben, cara] = users as [any, any, any];

    // Anna bakes next week (JSON, group implied by her only membership).
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

    // Ben baked yesterday, multipart with a cover image like the web frontend.
    const created = await json(
      call('POST', '/api/events', {
        token: ben.token,
        form: eventForm({ date: dayIn(-1), groupId: group.id }, { image: pngFile() }),
      }),
      201,
    );
    expect(created).toMatchObject({ id: expect.any(String), message: expect.any(String) });
    const past = created.event;
    expect(past.description).toBe('');
    expect(past.photoUrl).toMatch(new RegExp(`^https://cake.test/api/photos/\\d+/[\\w-]+/events/${past.id}/[\\w-]+\\.png$`));
    const cover = await call('GET', pathOf(past.photoUrl));
    expect(cover.status).toBe(200);
    expect(cover.headers.get('content-type')).toBe('image/png');
    expect(new Uint8Array(await cover.arrayBuffer()).length).toBe(70);

    // The month list shows both, sorted by date, as the others see them.
    const list = await json(call('GET', `/api/events?start=${dayIn(-10)}&end=${dayIn(10)}`, { token: cara.token }), 200);
    expect(list.map((e: any) => e.id)).toEqual([past.id, upcoming.id]);
    expect(list[1]).toMatchObject({ isOwner: false, canDelete: false, canRate: false });
    expect(list[0]).toMatchObject({ isOwner: false, isFuture: false, canRate: true });

    // Rating: others yes, the baker no, not before the day.
    await expectProblem(call('POST', `/api/events/${past.id}/rate`, { token: ben.token, body: { stars: 5 } }), 403, 'forbidden');
    await expectProblem(call('POST', `/api/events/${upcoming.id}/rate`, { token: ben.token, body: { stars: 5 } }), 409, 'not_yet');
    for (const stars of [0, 6, 2.5, '4']) {
      await expectProblem(call('POST', `/api/events/${past.id}/rate`, { token: anna.token, body: { stars } }), 400, 'validation_failed');
    }
    await expectProblem(
      call('POST', `/api/events/${past.id}/rate`, { token: anna.token, body: { stars: 4, comment: 'x'.repeat(501) } }),
      400,
    );
    expect(await json(call('POST', `/api/events/${past.id}/rate`, { token: anna.token, body: { stars: 3 } }), 200)).toEqual({
      rating: { average: 3, count: 1, myRating: 3 },
    });
    // Rating again replaces the first vote.
    expect(await json(call('POST', `/api/events/${past.id}/rate`, { token: anna.token, body: { stars: 4, comment: 'Lecker' } }), 200)).toEqual({
      rating: { average: 4, count: 1, myRating: 4 },
    });
    expect(await json(call('POST', `/api/events/${past.id}/rate`, { token: cara.token, body: { stars: 5 } }), 200)).toEqual({
      rating: { average: 4.5, count: 2, myRating: 5 },
    });

    // Cara adds a gallery photo; the detail shows gallery and ratings.
    const item = await json(uploadPhoto(cara, past.id), 201);
    expect(item).toMatchObject({ userId: cara.id, userName: cara.name, isMine: true, uploadedAt: expect.any(String) });
    const detail = await json(call('GET', `/api/events/${past.id}`, { token: anna.token }), 200);
    expect(detail.rating).toEqual({ average: 4.5, count: 2, myRating: 4 });
    expect(detail.gallery).toEqual([{ ...item, isMine: false, url: expect.any(String) }]);
    expect((await call('GET', pathOf(detail.gallery[0].url))).status).toBe(200);

    // Hall of Fame: only rated events.
    const ranked = await json(call('GET', `/api/events/ranked?groupId=${group.id}`, { token: anna.token }), 200);
    expect(ranked.map((e: any) => e.id)).toEqual([past.id]);

    // The aggregates the triggers keep match the ratings.
    const row = await env.DB.prepare('select rating_count, rating_sum from events where id = ?').bind(past.id).first();
    expect(row).toEqual({ rating_count: 2, rating_sum: 9 });
  });

  it('mails the other active members in their language', async () => {
    const { group, users } = await groupWith(3);
    const [anna, ben] = users as [any, any];
    await env.DB.prepare("update users set email_language = 'de' where id = ?").bind(ben.id).run();
    const { res, mails } = await callWithMailbox('POST', '/api/events', {
      token: anna.token,
      body: { date: dayIn(3), groupId: group.id, description: 'Apfelstrudel' },
    });
    expect(res.status).toBe(201);
    expect(mails.every((m) => m.template === 'new_event')).toBe(true);
    expect(mails.map((m) => m.to).sort()).toEqual(users.slice(1).map((u) => u.email).sort());
    expect(mails.find((m) => m.to === ben.email)!.language).toBe('de');
    expect(mails.find((m) => m.to !== ben.email)!.language).toBe('en');
    expect(mails[0]!.data).toMatchObject({ bakerName: anna.name, groupName: group.name, date: dayIn(3), description: 'Apfelstrudel' });
  });
});

describe('creating events: bad input', () => {
  it('validates dates, description, the event field and the group', async () => {
    const { group, users } = await groupWith(1);
    const [anna] = users as [any];
    const post = (body: unknown) => call('POST', '/api/events', { token: anna.token, body });
    await expectProblem(post({ date: '2026-02-30' }), 400, 'validation_failed');
    await expectProblem(post({ date: '26-1-1' }), 400, 'validation_failed');
    // Real dates a calendar cannot carry (DTEND of 9999-12-31, unpadded years) are refused, not a 500.
    await expectProblem(post({ date: '9999-12-31' }), 400, 'validation_failed');
    await expectProblem(post({ date: '0001-01-01' }), 400, 'validation_failed');
    await expectProblem(post({}), 400, 'validation_failed');
    await expectProblem(post({ date: dayIn(1), description: 'x'.repeat(2001) }), 400, 'validation_failed');
    await expectProblem(post('{"date":'), 400, 'malformed_json');
    await json(post({ date: dayIn(1), description: 'x'.repeat(2000) }), 201);
    const nulls = await json(post({ date: dayIn(1), description: null, groupId: null }), 201);
    expect(nulls.event).toMatchObject({ description: '', groupId: group.id });

    const form = (event: string) => call('POST', '/api/events', { token: anna.token, form: eventForm(event) });
    await expectProblem(form('{not json'), 400, 'malformed_json');
    await expectProblem(form(JSON.stringify({ date: '2026-13-01' })), 400, 'validation_failed');
    const noEvent = new FormData();
    noEvent.set('image', pngFile());
    await expectProblem(call('POST', '/api/events', { token: anna.token, form: noEvent }), 400);
    await json(form(JSON.stringify({ date: dayIn(2) })), 201);

    // Not her group → 403; unknown fields never set the baker.
    const other = await groupWith(0);
    await expectProblem(post({ date: dayIn(1), groupId: other.group.id }), 403, 'forbidden');
    const e = await createEvent(anna, { date: dayIn(4), groupId: group.id, bakerId: 'someone-else' } as never);
    expect(e.bakerId).toBe(anna.id);
  });

  it('needs groupId when the user has several groups', async () => {
    const first = await groupWith(1);
    const second = await groupWith(0);
    const [anna] = first.users as [any];
    const { addMember } = await import('../helpers/api');
    await addMember(anna.id, second.group.id);
    await expectProblem(call('POST', '/api/events', { token: anna.token, body: { date: dayIn(1) } }), 400, 'validation_failed');
    const e = await createEvent(anna, { date: dayIn(1), groupId: second.group.id });
    expect(e.groupId).toBe(second.group.id);
  });

  it('refuses a cover that is not an image and stores nothing', async () => {
    const { users } = await groupWith(1);
    const [anna] = users as [any];
    const before = await photoKeys();
    const text = new File(['hello, not an image'], 'cake.png', { type: 'image/png' });
    await expectProblem(
      call('POST', '/api/events', { token: anna.token, form: eventForm({ date: dayIn(1) }, { image: text }) }),
      415,
      'unsupported_media_type',
    );
    expect(await photosAddedSince(before)).toEqual([]);
    const list = await json(call('GET', `/api/events?start=${dayIn(0)}&end=${dayIn(2)}`, { token: anna.token }), 200);
    expect(list).toEqual([]);
  });

  it('accepts the cover in field photo too', async () => {
    const { users } = await groupWith(1);
    const res = await json(
      call('POST', '/api/events', { token: users[0]!.token, form: eventForm({ date: dayIn(1) }, { photo: pngFile() }) }),
      201,
    );
    expect(res.event.photoUrl).toContain('.png');
  });

  it('refuses a cover above 10 MB (413) and writes nothing', async () => {
    const { users } = await groupWith(1);
    const [anna] = users as [any];
    const before = await photoKeys();
    const big = new File([new Uint8Array(10 * 1024 * 1024 + 1)], 'big.png', { type: 'image/png' });
    await expectProblem(
      call('POST', '/api/events', { token: anna.token, form: eventForm({ date: dayIn(1) }, { image: big }) }),
      413,
      'payload_too_large',
    );
    expect(await photosAddedSince(before)).toEqual([]);
    expect(await json(call('GET', `/api/events?start=${dayIn(0)}&end=${dayIn(2)}`, { token: anna.token }), 200)).toEqual([]);
  });

  it('needs a group: a user in none gets 400', async () => {
    const loner = await createUser();
    await expectProblem(call('POST', '/api/events', { token: loner.token, body: { date: dayIn(1) } }), 400, 'validation_failed');
  });

  it('treats an empty file field (an unfilled file input) as no cover', async () => {
    const { users } = await groupWith(1);
    const empty = new File([], '', { type: 'application/octet-stream' });
    const res = await json(
      call('POST', '/api/events', { token: users[0]!.token, form: eventForm({ date: dayIn(1) }, { image: empty }) }),
      201,
    );
    expect(res.event.photoUrl).toBeNull();
  });
});

describe('listing events: bad input', () => {
  it('needs valid start and end at most 400 days apart', async () => {
    const { users } = await groupWith(1);
    const token = users[0]!.token;
    await expectProblem(call('GET', '/api/events', { token }), 400, 'validation_failed');
    await expectProblem(call('GET', '/api/events?start=2026-01-01', { token }), 400, 'validation_failed');
    await expectProblem(call('GET', '/api/events?start=2026-02-30&end=2026-03-01', { token }), 400, 'validation_failed');
    await expectProblem(call('GET', '/api/events?start=2026-03-01&end=2026-02-01', { token }), 400, 'validation_failed');
    await expectProblem(call('GET', '/api/events?start=2026-01-01&end=2027-02-06', { token }), 400, 'validation_failed');
    await json(call('GET', '/api/events?start=2026-01-01&end=2027-02-05', { token }), 200);
    await expectProblem(call('GET', '/api/events?start=2026-01-01&end=2026-01-31'), 401);
  });
});

describe('listing a month', () => {
  it('includes both ends of the range and sorts by date, then creation', async () => {
    const { users } = await groupWith(2);
    const [anna, ben] = users as [any, any];
    const lastOfMarch = await createEvent(anna, { date: '2027-03-31' });
    await createEvent(anna, { date: '2027-02-28' });
    const firstOfMarch = await createEvent(ben, { date: '2027-03-01' });
    await createEvent(ben, { date: '2027-04-01' });
    const alsoFirst = await createEvent(anna, { date: '2027-03-01' });
    const march = await json(call('GET', '/api/events?start=2027-03-01&end=2027-03-31', { token: ben.token }), 200);
    expect(march.map((e: any) => e.id)).toEqual([firstOfMarch.id, alsoFirst.id, lastOfMarch.id]);
  });
});
