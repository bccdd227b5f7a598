import { describe, expect, it } from 'vitest';
import { LOCAL_ADMIN_EMAIL, localAdminPlan } from '../../scripts/local-admin.mjs';

const random = () => 'Generated-Random-Password-123';

describe('local setup: the first admin from .dev.vars (npm start, npm run seed, the benchmarks)', () => {
  it('generates an admin with a random password when none is configured', () => {
    expect(localAdminPlan({}, random)).toEqual({
      email: LOCAL_ADMIN_EMAIL,
      password: random(),
      generated: { ADMIN_EMAIL: LOCAL_ADMIN_EMAIL, ADMIN_PASSWORD: random() },
    });
    // An empty line counts as missing, as it does for the Worker's bootstrap.
    expect(localAdminPlan({ ADMIN_EMAIL: '', ADMIN_PASSWORD: '' }, random)).toMatchObject({
      generated: { ADMIN_PASSWORD: random() },
    });
  });

  it('keeps what is configured and fills in only what is missing', () => {
    expect(localAdminPlan({ ADMIN_EMAIL: 'me@example.com', ADMIN_PASSWORD: 'my-own-long-passphrase' }, random)).toEqual({
      email: 'me@example.com',
      password: 'my-own-long-passphrase',
      generated: {},
    });
    expect(localAdminPlan({ ADMIN_EMAIL: 'me@example.com' }, random)).toMatchObject({ generated: { ADMIN_PASSWORD: random() } });
  });

  it('refuses an ADMIN_PASSWORD below the password policy, with the reason', () => {
    expect(localAdminPlan({ ADMIN_EMAIL: 'me@example.com', ADMIN_PASSWORD: 'password1' }, random)).toEqual({
      refused: 'ADMIN_PASSWORD does not meet the password policy: This password is too common; choose another.',
    });
    expect(localAdminPlan({ ADMIN_PASSWORD: 'short' }, random).refused).toContain('At least 8 characters');
    expect(localAdminPlan({ ADMIN_PASSWORD: 'x'.repeat(129) }, random).refused).toContain('At most 128 characters');
  });

  it('refuses an ADMIN_EMAIL that is no email address', () => {
    expect(localAdminPlan({ ADMIN_EMAIL: 'admin', ADMIN_PASSWORD: 'my-own-long-passphrase' }, random).refused).toContain(
      'not an email',
    );
  });

  it('never hands out a generated password the policy would refuse', () => {
    expect(() => localAdminPlan({}, () => 'password')).toThrow(/refused/);
  });
});
