/** The admin panel's group routes: list, creation, deletion, removing members, roles. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { memberOf, organisation } from '../helpers/admin';
import { addMember, adminToken, call, createGroup, createUser, expectProblem, json } from '../helpers/api';
import { eventInsert, galleryPhotoInsert, insertEvent, ratingInsert } from '../helpers/events';

describe('happy', () => {
  describe('GET /api/admin/groups', () => {
    it('gives a global admin all groups with member counts, ordered by name', async () => {
      const org = await organisation();
      const list = await json<any[]>(call('GET', '/api/admin/groups', { token: org.tokens.globalAdmin }), 200);
      const g = list.find((x) => x.id === org.g.id);
      expect(g).toEqual({
        id: org.g.id,
        name: org.g.name,
        description: '',
        timeZone: 'Europe/Berlin',
        language: 'de',
        memberCount: 2,
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      });
      expect(list.find((x) => x.id === org.h.id).memberCount).toBe(1);
      const names = list.map((x) => x.name.toLowerCase());
      expect(names).toEqual([...names].sort());
    });
  });

  describe('POST /api/admin/groups', () => {
    it('creates a group with a time zone and returns it (201)', async () => {
      const admin = await adminToken();
      const name = `Bakers ${crypto.randomUUID()}`;
      const group = await json(
        call('POST', '/api/admin/groups', {
          token: admin,
          body: { name: `  ${name} `, description: 'Fridays', timeZone: 'America/New_York' },
        }),
        201,
      );
      expect(group).toMatchObject({ name, description: 'Fridays', timeZone: 'America/New_York', memberCount: 0 });
    });
  });

  describe('DELETE /api/admin/groups/{id}', () => {
    it('erases events, ratings and photos (rows and R2 objects); memberships go, users stay', async () => {
      const admin = await adminToken();
      const group = await createGroup();
      const [baker, rater] = [await memberOf(group.id), await memberOf(group.id)];
      const eventId = crypto.randomUUID();
      const cover = `events/${eventId}/cover.png`;
      const gallery = `events/${eventId}/x.png`;
      await env.DB.batch([
        eventInsert({ id: eventId, groupId: group.id, bakerId: baker.id, date: '2020-02-02', coverKey: cover }).statement,
        ratingInsert(eventId, rater.id, 5),
        galleryPhotoInsert(eventId, rater.id, gallery),
      ]);
      await env.PHOTOS.put(cover, 'png');
      await env.PHOTOS.put(gallery, 'png');

      const res = await json(call('DELETE', `/api/admin/groups/${group.id}`, { token: admin }), 200);
      expect(res).toEqual({ message: expect.any(String) });

      const count = async (sql: string) => (await env.DB.prepare(sql).bind(eventId).first<{ n: number }>())!.n;
      expect(await count('select count(*) n from events where id = ?')).toBe(0);
      expect(await count('select count(*) n from ratings where event_id = ?')).toBe(0);
      expect(await count('select count(*) n from event_photos where event_id = ?')).toBe(0);
      expect(await env.PHOTOS.head(cover)).toBeNull();
      expect(await env.PHOTOS.head(gallery)).toBeNull();
      expect((await env.PHOTOS.list({ prefix: `events/${eventId}/` })).objects).toEqual([]);

      const me = await json(call('GET', '/api/user', { token: baker.token }), 200);
      expect(me).toMatchObject({ groupId: null, groups: [] });
      const groups = await json<any[]>(call('GET', '/api/admin/groups', { token: admin }), 200);
      expect(groups.map((g) => g.id)).not.toContain(group.id);
      await expectProblem(call('DELETE', `/api/admin/groups/${group.id}`, { token: admin }), 404, 'not_found');
    });
  });

  describe('DELETE /api/admin/groups/{id}/members/{userId}', () => {
    it('removes a member; the primary group falls back to the first joined', async () => {
      const admin = await adminToken();
      const [first, second] = [await createGroup(), await createGroup()];
      const user = await memberOf(first.id);
      await addMember(user.id, second.id);
      expect((await json(call('GET', '/api/user', { token: user.token }), 200)).groupId).toBe(second.id);

      const res = await json(call('DELETE', `/api/admin/groups/${second.id}/members/${user.id}`, { token: admin }), 200);
      expect(res).toMatchObject({ id: user.id, groupId: first.id, groupRole: 'member' });
      expect(res.groups.map((g: any) => g.id)).toEqual([first.id]);
      const row = await env.DB.prepare('select primary_group_id p from users where id = ?')
        .bind(user.id)
        .first<{ p: string | null }>();
      expect(row!.p).toBeNull();
      // A later join does not become the primary group: the first joined stays.
      const third = await createGroup();
      await env.DB.prepare("insert into memberships (user_id, group_id, role, created_at) values (?, ?, 'member', ?)")
        .bind(user.id, third.id, new Date(Date.now() + 1000).toISOString())
        .run();
      expect((await json(call('GET', '/api/user', { token: user.token }), 200)).groupId).toBe(first.id);
    });

    it('lets the group’s admin remove a member of its group', async () => {
      const org = await organisation();
      const inG = await memberOf(org.g.id);
      const res = await json(
        call('DELETE', `/api/admin/groups/${org.g.id}/members/${inG.id}`, { token: org.tokens.groupAdmin }),
        200,
      );
      expect(res).toMatchObject({ id: inG.id, groupId: null, groups: [] });
    });
  });

  describe('POST /api/admin/groups/set-role', () => {
    it('promotes a member to group admin and back, never touching isAdmin', async () => {
      const admin = await adminToken();
      const group = await createGroup();
      const user = await memberOf(group.id);
      const up = await json(
        call('POST', '/api/admin/groups/set-role', { token: admin, body: { userId: user.id, groupId: group.id, role: 'admin' } }),
        200,
      );
      expect(up).toMatchObject({ groupId: group.id, groupRole: 'admin', isAdmin: false });
      const users = await json<any[]>(call('GET', '/api/admin/users', { token: user.token }), 200);
      expect(users.map((u) => u.id)).toEqual([user.id]);
      const down = await json(
        call('POST', '/api/admin/groups/set-role', {
          token: admin,
          body: { userId: user.id, groupId: group.id, role: 'member' },
        }),
        200,
      );
      expect(down.groupRole).toBe('member');
      await expectProblem(call('GET', '/api/admin/users', { token: user.token }), 403, 'forbidden');
    });
  });
});

describe('bad input', () => {
  describe('POST /api/admin/groups', () => {
    it('refuses a duplicate name, whatever its case (409 name_taken)', async () => {
      const admin = await adminToken();
      const group = await createGroup();
      await expectProblem(call('POST', '/api/admin/groups', { token: admin, body: { name: group.name } }), 409, 'name_taken');
      await expectProblem(
        call('POST', '/api/admin/groups', { token: admin, body: { name: group.name.toUpperCase() } }),
        409,
        'name_taken',
      );
    });

    it('refuses an unknown time zone and a missing name, naming the field', async () => {
      const admin = await adminToken();
      const tz = await expectProblem(
        call('POST', '/api/admin/groups', {
          token: admin,
          body: { name: `Tz ${crypto.randomUUID()}`, timeZone: 'Mars/Olympus' },
        }),
        400,
        'validation_failed',
      );
      expect(tz.errors.map((e: any) => e.path)).toEqual(['timeZone']);
      for (const offset of ['+01:00', '-05:00', '+0100']) {
        const refused = await expectProblem(
          call('POST', '/api/admin/groups', { token: admin, body: { name: `Tz ${crypto.randomUUID()}`, timeZone: offset } }),
          400,
          'validation_failed',
        );
        expect(
          refused.errors.map((e: any) => e.path),
          offset,
        ).toEqual(['timeZone']);
      }
      const noName = await expectProblem(
        call('POST', '/api/admin/groups', { token: admin, body: { name: '   ' } }),
        400,
        'validation_failed',
      );
      expect(noName.errors.map((e: any) => e.path)).toEqual(['name']);
    });
  });

  describe('DELETE /api/admin/groups/{id}', () => {
    it('answers 404 to a path with dot or empty segments, which never reaches the group or its members', async () => {
      const admin = await adminToken();
      const group = await createGroup();
      const member = await memberOf(group.id);
      const tails = [
        '/members/..',
        '/members/%2e%2e',
        '/members/%2E%2e/',
        '/members/.',
        '/members/%2e',
        '/',
        '//',
        `/members//${member.id}`,
        `/members/${member.id}/`,
      ];
      for (const tail of tails) {
        await expectProblem(call('DELETE', `/api/admin/groups/${group.id}${tail}`, { token: admin }), 404, 'not_found');
      }
      const groups = await json<any[]>(call('GET', '/api/admin/groups', { token: admin }), 200);
      expect(groups.find((g) => g.id === group.id)).toMatchObject({ memberCount: 1 });
    });
  });

  describe('DELETE /api/admin/groups/{id}/members/{userId}', () => {
    it('answers 404 when the user is not a member of that group', async () => {
      const org = await organisation();
      const outsider = await createUser();
      await expectProblem(
        call('DELETE', `/api/admin/groups/${org.g.id}/members/${outsider.id}`, { token: org.tokens.groupAdmin }),
        404,
        'not_found',
      );
      await expectProblem(
        call('DELETE', `/api/admin/groups/${org.g.id}/members/nobody`, { token: org.tokens.globalAdmin }),
        404,
        'not_found',
      );
    });
  });

  describe('POST /api/admin/groups/set-role', () => {
    it('answers 404 for a user who is not a member of the group', async () => {
      const admin = await adminToken();
      const group = await createGroup();
      const outsider = await createUser();
      await expectProblem(
        call('POST', '/api/admin/groups/set-role', {
          token: admin,
          body: { userId: outsider.id, groupId: group.id, role: 'admin' },
        }),
        404,
        'not_found',
      );
    });

    it('names a bad role (400)', async () => {
      const admin = await adminToken();
      const group = await createGroup();
      const outsider = await createUser();
      const bad = await expectProblem(
        call('POST', '/api/admin/groups/set-role', {
          token: admin,
          body: { userId: outsider.id, groupId: group.id, role: 'owner' },
        }),
        400,
        'validation_failed',
      );
      expect(bad.errors.map((e: any) => e.path)).toEqual(['role']);
    });
  });
});

describe('security', () => {
  describe('GET /api/admin/groups', () => {
    it('gives a group admin only the groups it administers', async () => {
      const org = await organisation();
      await addMember(org.groupAdmin.id, org.h.id);
      const list = await json<any[]>(call('GET', '/api/admin/groups', { token: org.tokens.groupAdmin }), 200);
      expect(list.map((x) => x.id)).toEqual([org.g.id]);
    });
  });

  describe('DELETE /api/admin/groups/{id}', () => {
    it('leaves other groups’ events and photos alone', async () => {
      const admin = await adminToken();
      const [doomed, kept] = [await createGroup(), await createGroup()];
      const baker = await memberOf(kept.id);
      const eventId = crypto.randomUUID();
      await insertEvent({
        id: eventId,
        groupId: kept.id,
        bakerId: baker.id,
        date: '2020-02-02',
        coverKey: `events/${eventId}/c.png`,
      });
      await env.PHOTOS.put(`events/${eventId}/c.png`, 'png');
      await json(call('DELETE', `/api/admin/groups/${doomed.id}`, { token: admin }), 200);
      expect(await env.DB.prepare('select id from events where id = ?').bind(eventId).first()).not.toBeNull();
      expect(await env.PHOTOS.head(`events/${eventId}/c.png`)).not.toBeNull();
    });
  });

  describe('DELETE /api/admin/groups/{id}/members/{userId}', () => {
    it('refuses a group admin the members of another group, and a plain member every member (403)', async () => {
      const org = await organisation();
      const inH = await memberOf(org.h.id);
      await expectProblem(
        call('DELETE', `/api/admin/groups/${org.h.id}/members/${inH.id}`, { token: org.tokens.groupAdmin }),
        403,
        'forbidden',
      );
      await expectProblem(
        call('DELETE', `/api/admin/groups/${org.g.id}/members/${org.groupAdmin.id}`, { token: org.tokens.member }),
        403,
        'forbidden',
      );
    });

    it('tells a group admin nothing of the removed user’s groups it does not administer', async () => {
      const org = await organisation();
      const k = await createGroup();
      await addMember(org.groupAdmin.id, k.id, 'admin');
      const user = await memberOf(org.g.id);
      await addMember(user.id, k.id);
      await addMember(user.id, org.h.id, 'admin');
      // H, which the group admin does not administer, is the user's primary group.
      const assigned = await json(
        call('POST', '/api/admin/users/assign-group', {
          token: org.tokens.globalAdmin,
          body: { userId: user.id, groupId: org.h.id },
        }),
        200,
      );
      expect(assigned).toMatchObject({ groupId: org.h.id, groupRole: 'admin' });

      const res = await call('DELETE', `/api/admin/groups/${org.g.id}/members/${user.id}`, { token: org.tokens.groupAdmin });
      const text = await res.text();
      expect(res.status, text).toBe(200);
      const seen = JSON.parse(text);
      expect(seen).toMatchObject({ id: user.id, groupId: k.id, groupRole: 'member' });
      expect(seen.groups).toEqual([{ id: k.id, name: k.name, role: 'member' }]);
      expect(text).not.toContain(org.h.id);
      expect(text).not.toContain(org.h.name);

      // Removed from its last administered group, nothing of the user's groups is left to show.
      const last = await json(
        call('DELETE', `/api/admin/groups/${k.id}/members/${user.id}`, { token: org.tokens.groupAdmin }),
        200,
      );
      expect(last).toMatchObject({ groupId: null, groupRole: null, groups: [] });
      expect(JSON.stringify(last)).not.toContain(org.h.id);

      // A global admin is shown every group, H included.
      const other = await createGroup();
      await addMember(user.id, other.id);
      const full = await json(
        call('DELETE', `/api/admin/groups/${other.id}/members/${user.id}`, { token: org.tokens.globalAdmin }),
        200,
      );
      expect(full).toMatchObject({ groupId: org.h.id, groups: [{ id: org.h.id, name: org.h.name, role: 'admin' }] });
    });
  });
});
