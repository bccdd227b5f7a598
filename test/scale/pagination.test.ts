/**
 * Every list is a keyset page: `limit` and an opaque `cursor`, the next page
 * in `Link: <…>; rel="next"`, the body a plain array. Followed to the end a
 * list yields each row exactly once, in order, even across equal sort keys
 * and while rows are added.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toBase64Url } from '../../src/lib/encoding';
import { hmac } from '../../src/lib/hmac';
import { addMember, adminToken, call, createGroup, createUser, expectProblem, json, type TestUser } from '../helpers/api';
import { dayIn, eventInsert } from '../helpers/events';

const nextLink = (res: Response) => /^<([^>]+)>; rel="next"$/.exec(res.headers.get('Link') ?? '')?.[1];

/** Follows the Link headers from `path`, returning every page's body. */
async function allPages(path: string, token: string, between?: (page: number) => Promise<void>): Promise<any[][]> {
  const pages: any[][] = [];
  let next: string | undefined = path;
  while (next) {
    const res = await call('GET', next, { token });
    const body = await json<any[]>(res.clone(), 200);
    expect(Array.isArray(body)).toBe(true);
    pages.push(body);
    const link = nextLink(res);
    next = link ? new URL(link).pathname + new URL(link).search : undefined;
    if (link) expect(link.startsWith('https://cake.test/api/')).toBe(true);
    await between?.(pages.length);
    expect(pages.length).toBeLessThan(50);
  }
  return pages;
}

let admin: string;
let group: { id: string };
let member: TestUser;
const insertedEvents: string[] = [];

// Fresh for every test: the admin's token must not depend on what ran before.
beforeEach(async () => {
  admin = await adminToken();
});

beforeAll(async () => {
  admin = await adminToken();
  group = await createGroup();
  member = await createUser();
  await addMember(member.id, group.id);
  // Equal sort keys: five users of one name; seven events of one day and one creation time.
  for (let i = 0; i < 5; i++) await addMember((await createUser({ name: 'Same Name' })).id, group.id);
  const created = new Date().toISOString();
  const statements = [];
  for (let i = 0; i < 7; i++) {
    const id = `page-event-${i}`;
    insertedEvents.push(id);
    statements.push(
      eventInsert({
        id,
        groupId: group.id,
        bakerId: member.id,
        date: dayIn(-3),
        createdAt: created,
        ratingCount: 4,
        ratingSum: 16,
      }).statement,
    );
  }
  await env.DB.batch(statements);
});

describe('keyset pages', () => {
  it('admin users: each user exactly once, in order, even across equal names and while users are added', async () => {
    const before = (await env.DB.prepare('select id from users').all<{ id: string }>()).results.map((r) => r.id);
    const pages = await allPages('/api/admin/users?limit=3', admin, async (page) => {
      if (page === 1) await createUser({ name: 'Aaron Added Meanwhile' }); // sorts before every page still to come
    });
    expect(pages.slice(0, -1).every((p) => p.length === 3)).toBe(true);
    const ids = pages.flat().map((u) => u.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of before) expect(ids).toContain(id);
    const keys = pages.flat().map((u) => [u.name, u.id]);
    expect(keys).toEqual([...keys].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0)));
  });

  it('the last page has no Link; the default page holds a small organisation whole', async () => {
    const res = await call('GET', '/api/admin/users', { token: admin });
    expect(res.headers.get('Link')).toBeNull();
    const all = await json<any[]>(res, 200);
    const count = (await env.DB.prepare('select count(*) n from users').first<{ n: number }>())!.n;
    expect(all).toHaveLength(count);
  });

  it('events: pages through equal dates and creation times by id, the same rows as one page', async () => {
    const path = `/api/events?start=${dayIn(-10)}&end=${dayIn(10)}&groupId=${group.id}`;
    const whole = await json<any[]>(call('GET', path, { token: member.token }), 200);
    expect(whole.map((e) => e.id)).toEqual(insertedEvents);
    const pages = await allPages(`${path}&limit=2`, member.token);
    expect(pages.map((p) => p.length)).toEqual([2, 2, 2, 1]);
    expect(pages.flat().map((e) => e.id)).toEqual(insertedEvents);
    // Without groupId (every visible group) the same.
    const all = await allPages(`/api/events?start=${dayIn(-10)}&end=${dayIn(10)}&limit=3`, member.token);
    expect(all.flat().map((e) => e.id)).toEqual(insertedEvents);
  });

  it('Hall of Fame: pages through equal scores in rank order, for a member and a global admin', async () => {
    for (const [token, path] of [
      [member.token, '/api/events/ranked'],
      [admin, '/api/events/ranked'],
      [member.token, `/api/events/ranked?groupId=${group.id}`],
    ] as const) {
      const whole = await json<any[]>(call('GET', `${path}${path.includes('?') ? '&' : '?'}limit=100`, { token }), 200);
      const pages = await allPages(`${path}${path.includes('?') ? '&' : '?'}limit=3`, token);
      expect(pages.flat().map((e) => e.id)).toEqual(whole.map((e) => e.id));
      expect(whole.map((e) => e.id).sort()).toEqual([...insertedEvents].sort());
    }
  });

  it('users and groups lists page too', async () => {
    const users = await allPages('/api/users?limit=2', member.token);
    const ids = users.flat().map((u) => u.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(6); // the member and five namesakes in the group
    const groups = await allPages('/api/admin/groups?limit=1', admin);
    const count = (await env.DB.prepare('select count(*) n from groups').first<{ n: number }>())!.n;
    expect(groups.flat()).toHaveLength(count);
  });
});

describe('page parameters', () => {
  const lists = [
    '/api/admin/users?',
    '/api/admin/groups?',
    '/api/users?',
    '/api/events/ranked?',
    `/api/events?start=2026-01-01&end=2026-01-31&`,
  ];

  it('refuses a tampered cursor, one of another list, and a limit over the maximum (400)', async () => {
    const res = await call('GET', '/api/admin/users?limit=1', { token: admin });
    const cursor = new URL(nextLink(res)!).searchParams.get('cursor')!;
    const [payload, mac] = cursor.split('.') as [string, string];
    const flipped = payload.slice(0, -2) + (payload.at(-2) === 'A' ? 'B' : 'A') + payload.at(-1);
    for (const bad of [`${flipped}.${mac}`, `${payload}.${mac.slice(1)}`, 'garbage', `${payload}`, `${payload}.${mac}.x`]) {
      const problem = await expectProblem(
        call('GET', `/api/admin/users?cursor=${encodeURIComponent(bad)}`, { token: admin }),
        400,
        'validation_failed',
      );
      expect(problem.errors).toEqual([expect.objectContaining({ path: 'cursor' })]);
    }
    await expectProblem(call('GET', `/api/admin/groups?cursor=${cursor}`, { token: admin }), 400, 'validation_failed');
    for (const list of lists) {
      const max = list.includes('ranked') ? 100 : 1000;
      await expectProblem(call('GET', `${list}limit=${max + 1}`, { token: admin }), 400, 'validation_failed');
      await expectProblem(call('GET', `${list}limit=0`, { token: admin }), 400, 'validation_failed');
      await json(call('GET', `${list}limit=${max}`, { token: admin }), 200);
    }
  });

  it('refuses a cursor MACed with the server secret itself: cursors have their own key', async () => {
    const res = await call('GET', '/api/admin/users?limit=1', { token: admin });
    const cursor = new URL(nextLink(res)!).searchParams.get('cursor')!;
    const [payload] = cursor.split('.') as [string, string];
    // How cursors were signed before they had a key of their own.
    const rawMac = (await hmac(env.JWT_SECRET, `page-cursor\u0000admin-users\u0000${payload}`)).slice(0, 12);
    const forged = `${payload}.${toBase64Url(rawMac)}`;
    const problem = await expectProblem(
      call('GET', `/api/admin/users?limit=1&cursor=${forged}`, { token: admin }),
      400,
      'validation_failed',
    );
    expect(problem.errors).toEqual([expect.objectContaining({ path: 'cursor' })]);
    const next = await json<any[]>(call('GET', `/api/admin/users?limit=1&cursor=${cursor}`, { token: admin }), 200);
    expect(next).toHaveLength(1);
  });

  it('takes a limit in decimal digits only: hex, binary, octal, exponent, fraction and sign are 400', async () => {
    for (const list of lists) {
      for (const limit of ['0x2', '0b1', '0o2', '1e3', '1.0', '+1', '-1', ' 2', '2 ', '', '١']) {
        const problem = await expectProblem(
          call('GET', `${list}limit=${encodeURIComponent(limit)}`, { token: admin }),
          400,
          'validation_failed',
        );
        expect(problem.errors, `${list}limit=${limit}`).toEqual([expect.objectContaining({ path: 'limit' })]);
      }
      await json(call('GET', `${list}limit=02`, { token: admin }), 200);
    }
  });
});
