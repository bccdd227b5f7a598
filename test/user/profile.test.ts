/** GET /api/user and GET /api/user/groups: the caller's own profile and groups. */
import { describe, expect, it } from 'vitest';
import { addMember, call, createGroup, createUser, json, plainUser } from '../helpers/api';

describe('happy', () => {
  it('answers the caller’s own full User, with the groups and the role in each', async () => {
    const group = await createGroup();
    const u = await createUser({ name: 'Profile Owner', language: 'de' });
    await addMember(u.id, group.id, 'admin');
    const me = await json(call('GET', '/api/user', { token: u.token }), 200);
    expect(me).toMatchObject(
      plainUser({
        id: u.id,
        name: 'Profile Owner',
        email: u.email,
        language: 'de',
        emailLanguage: 'de',
        groupId: group.id,
        groupRole: 'admin',
        groups: [{ id: group.id, name: group.name, role: 'admin' }],
      }),
    );
  });

  it('lists the caller’s groups with role and member count', async () => {
    const [g1, g2] = [await createGroup({ name: `Aa ${Date.now()}` }), await createGroup({ name: `Bb ${Date.now()}` })];
    const u = await createUser();
    const v = await createUser();
    await addMember(u.id, g1.id, 'admin');
    await addMember(u.id, g2.id);
    await addMember(v.id, g1.id);
    const groups = await json(call('GET', '/api/user/groups', { token: u.token }), 200);
    expect(groups).toEqual([
      { id: g1.id, name: g1.name, role: 'admin', memberCount: 2 },
      { id: g2.id, name: g2.name, role: 'member', memberCount: 1 },
    ]);
  });

  it('lists no groups for a user in none', async () => {
    expect(await json(call('GET', '/api/user/groups', { token: (await createUser()).token }), 200)).toEqual([]);
  });
});
