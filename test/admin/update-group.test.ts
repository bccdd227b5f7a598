/** PATCH /api/admin/groups/{id}: a group's name, description, time zone and language. */
import { describe, expect, it } from 'vitest';
import { addMember, adminToken, call, createGroup, expectProblem, groupWith, json, type TestUser } from '../helpers/api';

const patch = (token: string, id: string, body: unknown) => call('PATCH', `/api/admin/groups/${id}`, { token, body });

describe('happy', () => {
  it('a group admin changes only the fields sent; the group answers as it is now', async () => {
    const { group, users } = await groupWith(1);
    const lead = users[0]!;
    await addMember(lead.id, group.id, 'admin');
    const changed = await json(patch(lead.token, group.id, { description: 'Every Friday', language: 'en' }), 200);
    expect(changed).toMatchObject({
      id: group.id,
      name: group.name,
      description: 'Every Friday',
      timeZone: 'Europe/Berlin',
      language: 'en',
      memberCount: 1,
    });
    const renamed = await json(
      patch(await adminToken(), group.id, { name: `${group.name} (new)`, timeZone: 'America/New_York' }),
      200,
    );
    expect(renamed).toMatchObject({
      name: `${group.name} (new)`,
      description: 'Every Friday',
      timeZone: 'America/New_York',
      language: 'en',
    });
  });

  it('new groups speak German by default; an empty body answers the group unchanged', async () => {
    const group = await createGroup();
    expect(await json(patch(await adminToken(), group.id, {}), 200)).toMatchObject({ id: group.id, language: 'de' });
  });
});

describe('bad input', () => {
  it('refuses a taken name (409), an offset time zone, an unknown language, an empty name (400), and changes nothing', async () => {
    const taken = await createGroup();
    const group = await createGroup();
    const admin = await adminToken();
    await expectProblem(patch(admin, group.id, { name: taken.name.toUpperCase() }), 409, 'name_taken');
    await expectProblem(patch(admin, group.id, { timeZone: '+01:00' }), 400, 'validation_failed');
    await expectProblem(patch(admin, group.id, { language: 'fr' }), 400, 'validation_failed');
    await expectProblem(patch(admin, group.id, { name: ' ' }), 400, 'validation_failed');
    const now = await json(patch(admin, group.id, {}), 200);
    expect(now).toMatchObject({ name: group.name, timeZone: 'Europe/Berlin', language: 'de' });
  });

  it('an unknown group is 404', async () => {
    await expectProblem(patch(await adminToken(), crypto.randomUUID(), { description: 'x' }), 404, 'not_found');
  });
});

describe('security', () => {
  it('a plain member gets 403; the admin of another group 404, as for an unknown group', async () => {
    const { group, users } = await groupWith(1);
    const member = users[0] as TestUser;
    await expectProblem(patch(member.token, group.id, { description: 'mine now' }), 403, 'forbidden');
    const other = await groupWith(1);
    await addMember(other.users[0]!.id, other.group.id, 'admin');
    await expectProblem(patch(other.users[0]!.token, group.id, { description: 'mine now' }), 404, 'not_found');
  });
});
