/** GET /api/users: the users visible to the caller. */
import { describe, expect, it } from 'vitest';
import { addMember, adminToken, call, createGroup, createUser, json } from '../helpers/api';
import { dayIn, insertEvents } from '../helpers/events';

async function world() {
  const a = await createGroup();
  const b = await createGroup();
  const me = await createUser();
  const groupAdmin = await createUser();
  const inB = await createUser();
  const stranger = await createUser();
  await addMember(me.id, a.id);
  await addMember(me.id, b.id);
  await addMember(groupAdmin.id, a.id, 'admin');
  await addMember(groupAdmin.id, (await createGroup()).id); // a group `me` is not in
  await addMember(inB.id, b.id);
  await addMember(stranger.id, (await createGroup()).id);
  return { a, b, me, groupAdmin, inB, stranger };
}

describe('happy', () => {
  it('shows a global admin everyone as full users', async () => {
    const w = await world();
    const list = await json<any[]>(call('GET', '/api/users', { token: await adminToken() }), 200);
    const stranger = list.find((u) => u.id === w.stranger.id);
    expect(stranger).toMatchObject({ email: w.stranger.email, isActive: true, isAdmin: false, groups: [expect.any(Object)] });
    expect(list.map((u) => u.id)).toEqual(expect.arrayContaining([w.me.id, w.groupAdmin.id, w.inB.id, w.stranger.id]));
  });

  it('pages a member of five groups through every co-member once, each with every shared group', async () => {
    // More groups than the statement has arms of their own: the last ones share an arm.
    const groups = await Promise.all(Array.from({ length: 5 }, () => createGroup()));
    const me = await createUser({ name: `M ${crypto.randomUUID()}` });
    for (const g of groups) await addMember(me.id, g.id);
    const tag = crypto.randomUUID().slice(0, 8);
    // Names interleave across the groups; one shares the first and the last group, one all five.
    const plan: [string, number[]][] = [
      ['A', [0, 4]],
      ['B', [1]],
      ['C', [0, 1, 2, 3, 4]],
      ['D', [4]],
      ['E', [2, 3]],
      ['F', [3]],
      ['G', [4, 1]],
    ];
    const expected = new Map<string, string[]>([[me.id, groups.map((g) => g.id).sort()]]);
    for (const [letter, of] of plan) {
      const u = await createUser({ name: `${letter} ${tag}` });
      for (const i of of) await addMember(u.id, groups[i]!.id);
      expected.set(u.id, of.map((i) => groups[i]!.id).sort());
    }
    const whole = await json<any[]>(call('GET', '/api/users?limit=100', { token: me.token }), 200);
    expect(new Map(whole.map((u) => [u.id, u.groups.map((g: { id: string }) => g.id)]))).toEqual(expected);
    expect(whole.map((u) => u.name)).toEqual(whole.map((u) => u.name).sort());

    const paged: any[] = [];
    for (let next: string | undefined = '/api/users?limit=2'; next; ) {
      const res = await call('GET', next, { token: me.token });
      paged.push(...(await json<any[]>(res.clone(), 200)));
      const link = /^<([^>]+)>; rel="next"$/.exec(res.headers.get('Link') ?? '')?.[1];
      next = link ? new URL(link).pathname + new URL(link).search : undefined;
    }
    expect(paged).toEqual(whole);
  });

  it('shows a user without groups only themself', async () => {
    const u = await createUser();
    expect(await json(call('GET', '/api/users', { token: u.token }), 200)).toEqual([
      { id: u.id, name: u.name, email: u.email, groups: [] },
    ]);
  });
});

describe('security', () => {
  it('shows a member only the members of their groups, with the shared groups and no emails', async () => {
    const w = await world();
    const list = await json<any[]>(call('GET', '/api/users', { token: w.me.token }), 200);
    const ids = list.map((u) => u.id);
    expect(ids.sort()).toEqual([w.me.id, w.groupAdmin.id, w.inB.id].sort());
    expect(ids).not.toContain(w.stranger.id);

    const admin = list.find((u) => u.id === w.groupAdmin.id);
    expect(admin).toEqual({
      id: w.groupAdmin.id,
      name: w.groupAdmin.name,
      groups: [{ id: w.a.id, name: w.a.name, role: 'admin' }],
    });
    const inB = list.find((u) => u.id === w.inB.id);
    expect(inB).toEqual({ id: w.inB.id, name: w.inB.name, groups: [{ id: w.b.id, name: w.b.name, role: 'member' }] });
    const self = list.find((u) => u.id === w.me.id);
    expect(self.email).toBe(w.me.email);
    expect(self.groups).toHaveLength(2);
    for (const u of list) expect(u).not.toHaveProperty('isAdmin');
  });

  it('shows a group admin the emails of the members of the group they administer', async () => {
    const w = await world();
    const list = await json<any[]>(call('GET', '/api/users', { token: w.groupAdmin.token }), 200);
    expect(list.map((u) => u.id).sort()).toEqual([w.me.id, w.groupAdmin.id].sort());
    expect(list.find((u) => u.id === w.me.id)).toEqual({
      id: w.me.id,
      name: w.me.name,
      email: w.me.email,
      groups: [{ id: w.a.id, name: w.a.name, role: 'member' }],
    });
  });

  it('puts no co-member email in any cursor a member can follow', async () => {
    // A cursor is signed, not encrypted: whatever key it carries, its holder can read.
    const { a, me } = await world();
    for (let i = 0; i < 3; i++) await addMember((await createUser()).id, a.id);
    const rated = { ratingCount: 1, ratingSum: 4 };
    await insertEvents(
      { groupId: a.id, bakerId: me.id, date: dayIn(-3), ...rated },
      { groupId: a.id, bakerId: me.id, date: dayIn(-2), ...rated },
    );
    const others = await json<any[]>(call('GET', '/api/users', { token: await adminToken() }), 200);
    const emails = others.map((u) => u.email as string).filter((email) => email !== me.email);
    for (const path of [
      '/api/users?limit=1',
      `/api/events?start=${dayIn(-5)}&end=${dayIn(0)}&limit=1`,
      '/api/events/ranked?limit=1',
    ]) {
      const res = await call('GET', path, { token: me.token });
      expect(res.status, path).toBe(200);
      const link = res.headers.get('Link');
      expect(link, path).toMatch(/rel="next"/);
      const cursor = new URL(/<([^>]+)>/.exec(link!)![1]!).searchParams.get('cursor')!;
      const payload = atob(cursor.split('.')[0]!.replace(/-/g, '+').replace(/_/g, '/'));
      expect(payload, path).not.toMatch(/@/);
      for (const email of emails) expect(payload, path).not.toContain(email);
    }
  });
});
