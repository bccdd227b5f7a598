import { describe, expect, it } from 'vitest';
import { addMember, call, createGroup, createUser, expectProblem, json } from '../helpers/api';

describe('settings', () => {
  it('changes the languages and answers the full user; languageEmail is a synonym', async () => {
    const u = await createUser();
    const a = await json(call('POST', '/api/user/settings', { token: u.token, body: { language: 'de' } }), 200);
    expect(a).toMatchObject({ id: u.id, email: u.email, language: 'de', emailLanguage: 'en', groups: [] });
    const b = await json(call('POST', '/api/user/settings', { token: u.token, body: { languageEmail: 'de' } }), 200);
    expect(b).toMatchObject({ language: 'de', emailLanguage: 'de' });
    const c = await json(call('POST', '/api/user/settings', { token: u.token, body: { emailLanguage: 'en', language: 'en' } }), 200);
    expect(c).toMatchObject({ language: 'en', emailLanguage: 'en' });
    expect(await json(call('GET', '/api/user', { token: u.token }), 200)).toEqual(c);
    expect(await json(call('POST', '/api/user/settings', { token: u.token, body: {} }), 200)).toEqual(c);
  });

  it('names a bad language and changes nothing; ignores privileged fields', async () => {
    const u = await createUser();
    const p = await expectProblem(call('POST', '/api/user/settings', { token: u.token, body: { language: 'de', languageEmail: 'fr' } }), 400, 'validation_failed');
    expect(p.errors[0].path).toBe('languageEmail');
    expect((await json(call('GET', '/api/user', { token: u.token }), 200)).language).toBe('en');
    const res = await json(call('POST', '/api/user/settings', { token: u.token, body: { isAdmin: true, isActive: false, mustChangePassword: true } }), 200);
    expect(res).toMatchObject({ isAdmin: false, isActive: true, mustChangePassword: false });
  });

  it('needs a token', async () => {
    await expectProblem(call('POST', '/api/user/settings', { body: { language: 'de' } }), 401);
  });
});

describe('own groups', () => {
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
    expect(await json(call('GET', '/api/user/groups', { token: (await createUser()).token }), 200)).toEqual([]);
  });
});
