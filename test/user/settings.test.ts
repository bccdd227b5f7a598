/** POST /api/user/settings: the interface and email language. */
import { describe, expect, it } from 'vitest';
import { call, createUser, expectProblem, json } from '../helpers/api';

describe('happy', () => {
  it('changes the languages and answers the full user; languageEmail is a synonym', async () => {
    const u = await createUser();
    const a = await json(call('POST', '/api/user/settings', { token: u.token, body: { language: 'de' } }), 200);
    expect(a).toMatchObject({ id: u.id, email: u.email, language: 'de', emailLanguage: 'en', groups: [] });
    const b = await json(call('POST', '/api/user/settings', { token: u.token, body: { languageEmail: 'de' } }), 200);
    expect(b).toMatchObject({ language: 'de', emailLanguage: 'de' });
    const c = await json(
      call('POST', '/api/user/settings', { token: u.token, body: { emailLanguage: 'en', language: 'en' } }),
      200,
    );
    expect(c).toMatchObject({ language: 'en', emailLanguage: 'en' });
    expect(await json(call('GET', '/api/user', { token: u.token }), 200)).toEqual(c);
  });

  it('changes nothing for an empty body', async () => {
    const u = await createUser();
    const before = await json(call('GET', '/api/user', { token: u.token }), 200);
    expect(await json(call('POST', '/api/user/settings', { token: u.token, body: {} }), 200)).toEqual(before);
  });
});

describe('bad input', () => {
  it('names a bad language and changes nothing', async () => {
    const u = await createUser();
    const p = await expectProblem(
      call('POST', '/api/user/settings', { token: u.token, body: { language: 'de', languageEmail: 'fr' } }),
      400,
      'validation_failed',
    );
    expect(p.errors[0].path).toBe('languageEmail');
    expect((await json(call('GET', '/api/user', { token: u.token }), 200)).language).toBe('en');
  });
});

describe('security', () => {
  it('ignores privileged fields', async () => {
    const u = await createUser();
    const res = await json(
      call('POST', '/api/user/settings', { token: u.token, body: { isAdmin: true, isActive: false, mustChangePassword: true } }),
      200,
    );
    expect(res).toMatchObject({ isAdmin: false, isActive: true, mustChangePassword: false });
  });
});
