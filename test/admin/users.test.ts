/** The admin panel's user routes: list, status, deletion, group assignment, forced password change, 2FA reset. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { makeGlobalAdmin, memberOf, organisation, rootAsLastAdmin } from '../helpers/admin';
import { addMember, adminToken, call, createGroup, createUser, expectProblem, json, login, plainUser } from '../helpers/api';
import { eventInsert, galleryPhotoInsert } from '../helpers/events';
import { callWithMailbox } from '../helpers/mailbox';
import { enableTwoFactor } from '../helpers/totp';

describe('happy', () => {
  describe('GET /api/admin/users', () => {
    it('gives a global admin every user as a full User object, ordered by name', async () => {
      const org = await organisation();
      const loner = await createUser({ name: 'Aaron Loner' });
      const list = await json<any[]>(call('GET', '/api/admin/users', { token: org.tokens.globalAdmin }), 200);
      const ids = list.map((u) => u.id);
      expect(ids).toEqual(expect.arrayContaining([loner.id, org.member.id, org.groupAdmin.id, org.otherGroupAdmin.id]));
      const names = list.map((u) => u.name);
      expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      expect(list.find((u) => u.id === org.member.id)).toEqual(
        plainUser({
          id: org.member.id,
          name: 'G Member',
          email: org.member.email,
          groupId: org.g.id,
          groupRole: 'member',
          groups: [{ id: org.g.id, name: org.g.name, role: 'member' }],
          createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
          lastLoginAt: expect.stringMatching(/Z$/),
        }),
      );
    });
  });

  describe('PUT /api/admin/users/{id}/status', () => {
    it('deactivation revokes the user’s tokens at once; activation lets them log in again', async () => {
      const admin = await adminToken();
      const user = await createUser();
      await json(call('GET', '/api/user', { token: user.token }), 200);
      const off = await json(call('PUT', `/api/admin/users/${user.id}/status`, { token: admin, body: { isActive: false } }), 200);
      expect(off.isActive).toBe(false);
      await expectProblem(call('GET', '/api/user', { token: user.token }), 401, 'invalid_token');
      await expectProblem(
        call('POST', '/api/auth/login', { body: { email: user.email, password: user.password } }),
        403,
        'account_inactive',
      );
      await json(call('PUT', `/api/admin/users/${user.id}/status`, { token: admin, body: { isActive: true } }), 200);
      await login(user.email, user.password);
    });

    it('activating an account enqueues the activation mail in the user’s language', async () => {
      const admin = await adminToken();
      const user = await createUser({ active: false, language: 'de' });
      // Only the mail each request enqueues (the registration's admin notice is not among them).
      const activate = () =>
        callWithMailbox('PUT', `/api/admin/users/${user.id}/status`, { token: admin, body: { isActive: true } });
      const first = await activate();
      await json(first.res, 200);
      expect(first.mails).toEqual([
        expect.objectContaining({
          to: user.email,
          template: 'account_activated',
          language: 'de',
          data: expect.objectContaining({ name: user.name }),
        }),
      ]);
      // Activating an already active account sends nothing more.
      const again = await activate();
      await json(again.res, 200);
      expect(again.mails).toEqual([]);
    });
  });

  describe('DELETE /api/admin/users/{id}', () => {
    it('erases the account: its tokens stop working, it disappears from lists and memberships', async () => {
      const admin = await adminToken();
      const group = await createGroup();
      const user = await memberOf(group.id);
      const res = await json(call('DELETE', `/api/admin/users/${user.id}`, { token: admin }), 200);
      expect(res).toEqual({ message: expect.any(String) });
      await expectProblem(call('GET', '/api/user', { token: user.token }), 401, 'invalid_token');
      await expectProblem(call('POST', '/api/auth/login', { body: { email: user.email, password: user.password } }), 401);
      const users = await json<any[]>(call('GET', '/api/admin/users', { token: admin }), 200);
      expect(users.map((u) => u.id)).not.toContain(user.id);
      const groups = await json<any[]>(call('GET', '/api/admin/groups', { token: admin }), 200);
      expect(groups.find((g) => g.id === group.id).memberCount).toBe(0);
      await expectProblem(call('DELETE', `/api/admin/users/${user.id}`, { token: admin }), 404, 'not_found');
    });

    it('deletes the user’s photos from R2 and upcoming events, keeps past events without their cover', async () => {
      const admin = await adminToken();
      const group = await createGroup();
      const baker = await memberOf(group.id);
      const other = await memberOf(group.id);
      const past = crypto.randomUUID();
      const upcoming = crypto.randomUUID();
      await env.DB.batch([
        eventInsert({ id: past, groupId: group.id, bakerId: baker.id, date: '2020-01-01', coverKey: `events/${past}/cover.png` })
          .statement,
        eventInsert({
          id: upcoming,
          groupId: group.id,
          bakerId: baker.id,
          date: '2999-01-01',
          coverKey: `events/${upcoming}/cover.png`,
        }).statement,
        galleryPhotoInsert(past, other.id, `events/${past}/other.png`),
      ]);
      for (const key of [`events/${past}/cover.png`, `events/${upcoming}/cover.png`, `events/${past}/other.png`]) {
        await env.PHOTOS.put(key, 'png');
      }
      await json(call('DELETE', `/api/admin/users/${baker.id}`, { token: admin }), 200);
      const rows = await env.DB.prepare('select id, baker_id, cover_photo_key from events where id in (?, ?)')
        .bind(past, upcoming)
        .all();
      expect(rows.results).toEqual([{ id: past, baker_id: null, cover_photo_key: null }]);
      expect(await env.PHOTOS.head(`events/${upcoming}/cover.png`)).toBeNull();
      expect(await env.PHOTOS.head(`events/${past}/cover.png`)).toBeNull();
      expect(await env.PHOTOS.head(`events/${past}/other.png`)).not.toBeNull();
    });

    it('deletes another global admin while one remains', async () => {
      const admin = await adminToken();
      const second = await createUser();
      await makeGlobalAdmin(second.id);
      await json(call('DELETE', `/api/admin/users/${second.id}`, { token: admin }), 200);
      await expectProblem(call('GET', '/api/user', { token: second.token }), 401);
    });
  });

  describe('POST /api/admin/users/assign-group', () => {
    it('sets the primary group, is idempotent, and null removes every membership', async () => {
      const admin = await adminToken();
      const [a, b] = [await createGroup(), await createGroup()];
      const user = await createUser();
      const first = await json(
        call('POST', '/api/admin/users/assign-group', { token: admin, body: { userId: user.id, groupId: a.id } }),
        200,
      );
      expect(first).toMatchObject({ groupId: a.id, groupRole: 'member' });
      const second = await json(
        call('POST', '/api/admin/users/assign-group', { token: admin, body: { userId: user.id, groupId: b.id } }),
        200,
      );
      expect(second.groupId).toBe(b.id);
      expect(second.groups.map((g: any) => g.id).sort()).toEqual([a.id, b.id].sort());
      const again = await json(
        call('POST', '/api/admin/users/assign-group', { token: admin, body: { userId: user.id, groupId: b.id } }),
        200,
      );
      expect(again).toEqual(second);
      const none = await json(
        call('POST', '/api/admin/users/assign-group', { token: admin, body: { userId: user.id, groupId: null } }),
        200,
      );
      expect(none).toMatchObject({ groupId: null, groupRole: null, groups: [] });
    });
  });

  describe('POST /api/admin/users/force-password-change', () => {
    it('revokes tokens; afterwards only the profile and change-password are reachable', async () => {
      const org = await organisation();
      const user = await memberOf(org.g.id);
      const res = await json(
        call('POST', '/api/admin/users/force-password-change', {
          token: org.tokens.groupAdmin,
          body: { userId: user.id, mustChange: true },
        }),
        200,
      );
      expect(res).toMatchObject({ id: user.id, mustChangePassword: true });
      await expectProblem(call('GET', '/api/user', { token: user.token }), 401, 'invalid_token');
      const { token } = await login(user.email, user.password);
      expect((await json(call('GET', '/api/user', { token }), 200)).mustChangePassword).toBe(true);
      await expectProblem(call('GET', '/api/admin/groups', { token }), 403, 'password_change_required');
    });

    it('mustChange false lifts the flag without revoking tokens', async () => {
      const admin = await adminToken();
      const user = await createUser();
      const res = await json(
        call('POST', '/api/admin/users/force-password-change', { token: admin, body: { userId: user.id, mustChange: false } }),
        200,
      );
      expect(res.mustChangePassword).toBe(false);
      await json(call('GET', '/api/user', { token: user.token }), 200);
    });
  });

  describe('POST /api/admin/users/{id}/reset-2fa', () => {
    it('clears a user’s 2FA, ends their sessions and mails them; they sign in with the password alone', async () => {
      const u = await createUser({ language: 'de' });
      const { token } = await enableTwoFactor(u.token);
      const { res, mails } = await callWithMailbox('POST', `/api/admin/users/${u.id}/reset-2fa`, { token: await adminToken() });
      const user = await json(res, 200);
      expect(user).toMatchObject({ id: u.id, has2FA: false });
      expect(mails).toEqual([
        {
          to: u.email,
          template: 'security_notice',
          language: 'de',
          data: expect.objectContaining({ event: 'two_factor_reset' }),
        },
      ]);
      await expectProblem(call('GET', '/api/user', { token }), 401, 'invalid_token');
      const again = await login(u.email, u.password);
      expect(again.user.has2FA).toBe(false);
      const codes = await env.DB.prepare('select count(*) as n from recovery_codes where user_id = ?')
        .bind(u.id)
        .first<{ n: number }>();
      expect(codes!.n).toBe(0);
    });
  });
});

describe('bad input', () => {
  describe('PUT /api/admin/users/{id}/status', () => {
    it('refuses to deactivate the last active global admin (409), allows it when another exists', async () => {
      const { id: rootId, token: admin } = await rootAsLastAdmin();
      await expectProblem(
        call('PUT', `/api/admin/users/${rootId}/status`, { token: admin, body: { isActive: false } }),
        409,
        'last_admin',
      );
      await json(call('GET', '/api/admin/users', { token: admin }), 200);

      const second = await createUser();
      await makeGlobalAdmin(second.id);
      const off = await json(
        call('PUT', `/api/admin/users/${second.id}/status`, { token: admin, body: { isActive: false } }),
        200,
      );
      expect(off).toMatchObject({ isAdmin: true, isActive: false });
      // An inactive admin does not count: root is again the only active one.
      await expectProblem(
        call('PUT', `/api/admin/users/${rootId}/status`, { token: admin, body: { isActive: false } }),
        409,
        'last_admin',
      );
    });

    it('validates the body and the id', async () => {
      const admin = await adminToken();
      const user = await createUser();
      const bad = await expectProblem(
        call('PUT', `/api/admin/users/${user.id}/status`, { token: admin, body: { isActive: 'yes' } }),
        400,
        'validation_failed',
      );
      expect(bad.errors).toEqual([expect.objectContaining({ path: 'isActive' })]);
      await expectProblem(
        call('PUT', `/api/admin/users/${user.id}/status`, { token: admin, body: {} }),
        400,
        'validation_failed',
      );
      await expectProblem(
        call('PUT', '/api/admin/users/nobody/status', { token: admin, body: { isActive: true } }),
        404,
        'not_found',
      );
    });
  });

  describe('DELETE /api/admin/users/{id}', () => {
    it('refuses to delete the last active global admin (409)', async () => {
      const { id: rootId, token: admin } = await rootAsLastAdmin();
      await expectProblem(call('DELETE', `/api/admin/users/${rootId}`, { token: admin }), 409, 'last_admin');
      await json(call('GET', '/api/admin/users', { token: admin }), 200);
    });
  });

  describe('POST /api/admin/users/assign-group', () => {
    it('changes nothing for an unknown group or user, and keeps the role of an existing membership', async () => {
      const admin = await adminToken();
      const [a, b] = [await createGroup(), await createGroup()];
      const user = await createUser();
      await addMember(user.id, a.id, 'admin');
      await addMember(user.id, b.id);
      const before = await json(
        call('POST', '/api/admin/users/assign-group', { token: admin, body: { userId: user.id, groupId: a.id } }),
        200,
      );
      expect(before).toMatchObject({ groupId: a.id, groupRole: 'admin' });

      await expectProblem(
        call('POST', '/api/admin/users/assign-group', { token: admin, body: { userId: user.id, groupId: 'no-such-group' } }),
        404,
        'not_found',
      );
      await expectProblem(
        call('POST', '/api/admin/users/assign-group', { token: admin, body: { userId: 'nobody', groupId: b.id } }),
        404,
        'not_found',
      );
      await expectProblem(
        call('POST', '/api/admin/users/assign-group', { token: admin, body: { userId: 'nobody', groupId: null } }),
        404,
        'not_found',
      );
      const list = await json<any[]>(call('GET', '/api/admin/users', { token: admin }), 200);
      expect(list.find((u) => u.id === user.id)).toEqual(before);
      const rows = await env.DB.prepare("select count(*) n from memberships where user_id = 'nobody'").first<{ n: number }>();
      expect(rows!.n).toBe(0);

      // Assigning an existing membership makes it primary without touching its role.
      const again = await json(
        call('POST', '/api/admin/users/assign-group', { token: admin, body: { userId: user.id, groupId: a.id } }),
        200,
      );
      expect(again).toEqual(before);
    });

    it('names the offending field of a bad body', async () => {
      const admin = await adminToken();
      const bad = await expectProblem(
        call('POST', '/api/admin/users/assign-group', { token: admin, body: { groupId: null } }),
        400,
        'validation_failed',
      );
      expect(bad.errors.map((e: any) => e.path)).toEqual(['userId']);
      const bad2 = await expectProblem(
        call('POST', '/api/admin/users/assign-group', { token: admin, body: { userId: 'x' } }),
        400,
      );
      expect(bad2.errors.map((e: any) => e.path)).toEqual(['groupId']);
      await expectProblem(call('POST', '/api/admin/users/assign-group', { token: admin, body: '{nope' }), 400, 'malformed_json');
    });
  });

  describe('POST /api/admin/users/force-password-change', () => {
    it('validates the body', async () => {
      const admin = await adminToken();
      const bad = await expectProblem(
        call('POST', '/api/admin/users/force-password-change', { token: admin, body: { userId: 'x' } }),
        400,
        'validation_failed',
      );
      expect(bad.errors.map((e: any) => e.path)).toEqual(['mustChange']);
    });
  });

  describe('POST /api/admin/users/{id}/reset-2fa', () => {
    it('answers 404 for an unknown user and 409 for a user without 2FA', async () => {
      const bystander = await createUser();
      const admin = await adminToken();
      await expectProblem(call('POST', `/api/admin/users/${crypto.randomUUID()}/reset-2fa`, { token: admin }), 404, 'not_found');
      await expectProblem(call('POST', `/api/admin/users/${bystander.id}/reset-2fa`, { token: admin }), 409, 'conflict');
    });
  });
});

describe('security', () => {
  describe('GET /api/admin/users', () => {
    it('gives a group admin only the members of the groups it administers', async () => {
      const org = await organisation();
      const alsoInH = await memberOf(org.g.id);
      await addMember(alsoInH.id, org.h.id);
      const list = await json<any[]>(call('GET', '/api/admin/users', { token: org.tokens.groupAdmin }), 200);
      expect(list.map((u) => u.id).sort()).toEqual([org.groupAdmin.id, org.member.id, alsoInH.id].sort());
      // The other group stays hidden, also as the user's primary group.
      const seen = list.find((u) => u.id === alsoInH.id);
      expect(seen.groups).toEqual([{ id: org.g.id, name: org.g.name, role: 'member' }]);
      expect(seen).toMatchObject({ groupId: org.g.id, groupRole: 'member' });
    });

    it('lists a member of several administered groups once, with those groups in joining order and the primary among them', async () => {
      const org = await organisation();
      await addMember(org.groupAdmin.id, org.h.id, 'admin');
      const k = await createGroup();
      const primaryShown = await createUser();
      for (const group of [k, org.h, org.g]) await addMember(primaryShown.id, group.id);
      const primaryHidden = await createUser();
      for (const group of [org.g, org.h, k]) await addMember(primaryHidden.id, group.id);

      const everyone = await json<any[]>(call('GET', '/api/admin/users', { token: org.tokens.globalAdmin }), 200);
      const list = await json<any[]>(call('GET', '/api/admin/users', { token: org.tokens.groupAdmin }), 200);
      const members = [org.groupAdmin, org.otherGroupAdmin, org.member, primaryShown, primaryHidden];
      expect(list.map((u) => u.id).sort()).toEqual(members.map((u) => u.id).sort());
      const administered = (id: string) =>
        everyone.find((u) => u.id === id).groups.filter((g: any) => g.id === org.g.id || g.id === org.h.id);
      for (const user of [primaryShown, primaryHidden]) {
        const seen = list.find((u) => u.id === user.id);
        expect(seen.groups).toEqual(administered(user.id));
        expect(seen.groups).toHaveLength(2);
      }
      expect(list.find((u) => u.id === primaryShown.id)).toMatchObject({ groupId: org.g.id, groupRole: 'member' });
      // The primary group is hidden: the first of the shown ones stands in.
      expect(list.find((u) => u.id === primaryHidden.id)).toMatchObject({ groupId: administered(primaryHidden.id)[0].id });
    });

    it('shows an admin of G who is a plain member of H neither H nor its other members', async () => {
      const org = await organisation();
      await addMember(org.groupAdmin.id, org.h.id);
      const onlyInH = await memberOf(org.h.id);
      const users = await json<any[]>(call('GET', '/api/admin/users', { token: org.tokens.groupAdmin }), 200);
      expect(users.map((u) => u.id).sort()).toEqual([org.groupAdmin.id, org.member.id].sort());
      expect(users.map((u) => u.id)).not.toContain(onlyInH.id);
      expect(users.map((u) => u.id)).not.toContain(org.otherGroupAdmin.id);
      // Its own entry shows only G, where it is admin; H stays hidden there too.
      expect(users.find((u) => u.id === org.groupAdmin.id).groups).toEqual([{ id: org.g.id, name: org.g.name, role: 'admin' }]);
      const groups = await json<any[]>(call('GET', '/api/admin/groups', { token: org.tokens.groupAdmin }), 200);
      expect(groups.map((g) => g.id)).toEqual([org.g.id]);
    });
  });

  describe('PUT /api/admin/users/{id}/status', () => {
    it('ignores privileged fields in the body', async () => {
      const admin = await adminToken();
      const user = await createUser();
      const res = await json(
        call('PUT', `/api/admin/users/${user.id}/status`, { token: admin, body: { isActive: true, isAdmin: true } }),
        200,
      );
      expect(res.isAdmin).toBe(false);
    });
  });

  describe('POST /api/admin/users/force-password-change', () => {
    it('a group admin may not force a global admin in its group (403), nor anyone it merely shares a group with', async () => {
      const org = await organisation();
      const globalInGroup = await memberOf(org.g.id);
      await makeGlobalAdmin(globalInGroup.id);
      await expectProblem(
        call('POST', '/api/admin/users/force-password-change', {
          token: org.tokens.groupAdmin,
          body: { userId: globalInGroup.id, mustChange: true },
        }),
        403,
        'forbidden',
      );
      await json(call('GET', '/api/user', { token: globalInGroup.token }), 200);
      // Admin of G, plain member of H: H's members are not its to manage.
      const h = await createGroup();
      await addMember(org.groupAdmin.id, h.id, 'member');
      const inH = await memberOf(h.id);
      await expectProblem(
        call('POST', '/api/admin/users/force-password-change', {
          token: org.tokens.groupAdmin,
          body: { userId: inH.id, mustChange: true },
        }),
        404,
      );
      const listed = await json(call('GET', '/api/admin/users', { token: org.tokens.groupAdmin }), 200);
      expect(listed.map((u: any) => u.id)).not.toContain(inH.id);
    });

    it('blocks even an admin on the admin routes while the change is pending', async () => {
      const org = await organisation();
      const admin = await adminToken();
      await json(
        call('POST', '/api/admin/users/force-password-change', {
          token: admin,
          body: { userId: org.groupAdmin.id, mustChange: true },
        }),
        200,
      );
      const { token } = await login(org.groupAdmin.email, org.groupAdmin.password);
      await expectProblem(call('GET', '/api/admin/users', { token }), 403, 'password_change_required');
      await expectProblem(
        call('DELETE', `/api/admin/groups/${org.g.id}/members/${org.member.id}`, { token }),
        403,
        'password_change_required',
      );
      await json(call('GET', '/api/user', { token }), 200);
    });

    it('a group admin cannot reach users outside its groups (404), a member cannot use it (403)', async () => {
      const org = await organisation();
      const stranger = await memberOf(org.h.id);
      await expectProblem(
        call('POST', '/api/admin/users/force-password-change', {
          token: org.tokens.groupAdmin,
          body: { userId: stranger.id, mustChange: true },
        }),
        404,
        'not_found',
      );
      await expectProblem(
        call('POST', '/api/admin/users/force-password-change', {
          token: org.tokens.member,
          body: { userId: org.groupAdmin.id, mustChange: true },
        }),
        403,
        'forbidden',
      );
      await json(call('GET', '/api/user', { token: stranger.token }), 200);
      await json(call('GET', '/api/user', { token: org.groupAdmin.token }), 200);
    });
  });

  describe('POST /api/admin/users/{id}/reset-2fa', () => {
    it('is for global admins only: neither another user nor the owner may clear it (403), and the refusals change nothing', async () => {
      const u = await createUser();
      const { token } = await enableTwoFactor(u.token);
      const bystander = await createUser();
      await expectProblem(call('POST', `/api/admin/users/${u.id}/reset-2fa`, { token: bystander.token }), 403, 'forbidden');
      await expectProblem(call('POST', `/api/admin/users/${u.id}/reset-2fa`, { token }), 403, 'forbidden');
      expect((await json(call('GET', '/api/user', { token }), 200)).has2FA).toBe(true);
    });
  });
});
