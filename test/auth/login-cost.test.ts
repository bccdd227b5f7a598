/**
 * A wrong password must cost the same whether or not the email exists or has
 * a temporary password pending: the same D1 statements in the same number of
 * round trips (the failure is counted for unknown emails too), and one argon2 verification (against a constant dummy hash
 * for unknown emails).
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { CURRENT, DUMMY_HASH, hashPassword, keptHashMemoryBytes, needsRehash, verifyPassword } from '../../src/auth/password';
import { createUser, json } from '../helpers/api';
import { countedRequests } from '../helpers/d1-counter';
import { callWithMailbox } from '../helpers/mailbox';
import { ORIGINAL_PASSWORDS } from '../import/original-passwords';

describe('cost of a wrong-password login', () => {
  it('is the same D1 work for an unknown email, a known one and one with a pending temporary password', async () => {
    const known = await createUser();
    const pending = await createUser();
    const { res, mails } = await callWithMailbox('POST', '/api/auth/forgot-password', { body: { email: pending.email } });
    await json(res, 200);
    expect(mails).toHaveLength(1);
    const live = await env.DB.prepare('select count(*) as n from temporary_passwords where user_id = ? and used_at is null')
      .bind(pending.id)
      .first<{ n: number }>();
    expect(live!.n).toBe(1);

    const send = countedRequests(createApp());
    // The first request of an app may run the one-time admin bootstrap.
    await send('GET', '/api/system/healthcheck');

    const cases = {
      unknown: `nobody-${known.id}@cake.test`,
      known: known.email,
      pendingTemporary: pending.email,
    };
    const cost: Record<string, { trips: number; statements: number; sql: string[] }> = {};
    for (const [name, email] of Object.entries(cases)) {
      const res = await send('POST', '/api/auth/login', { body: { email, password: 'Wrong-Password-1' } });
      expect(res.status, name).toBe(401);
      expect(JSON.parse(res.text).code).toBe('invalid_credentials');
      cost[name] = { trips: res.trips, statements: res.statements, sql: res.sql };
    }

    // One read (the user with a matching temporary password, and the email's
    // failure count), then the counted failure: for every email alike.
    expect(cost.unknown!.trips).toBe(2);
    expect(cost.unknown!.statements).toBe(3);
    expect(cost.unknown!.sql[0]).toMatch(/temporary_passwords/);
    expect(cost.unknown!.sql[1]).toMatch(/sign_in_failures/);
    expect(cost.unknown!.sql[2]).toMatch(/insert into "sign_in_failures"/);
    expect(cost.known).toEqual(cost.unknown);
    expect(cost.pendingTemporary).toEqual(cost.unknown);
  });
});

describe('the dummy hash for unknown emails', () => {
  it('is a constant PHC string with the current parameters, matching no password', async () => {
    expect(DUMMY_HASH).toContain(`$m=${CURRENT.m},t=${CURRENT.t},p=${CURRENT.p}$`);
    expect(needsRehash(DUMMY_HASH)).toBe(false);
    expect(await verifyPassword(DUMMY_HASH, 'Wrong-Password-1')).toBe(false);
    expect(await verifyPassword(DUMMY_HASH, 'short')).toBe(false);
  });
});

describe('the memory of a hash', () => {
  it('is what the current parameters need, and a heavier imported hash keeps none of its own', async () => {
    const password = 'Memory-Sized-Cake-1';
    const hash = await hashPassword(password);
    expect(await verifyPassword(hash, password)).toBe(true);
    const kept = keptHashMemoryBytes();
    // m KiB of blocks and the package's 10 KiB beside them, in whole 64 KiB pages: not the 65 MiB the package asks for.
    expect(kept).toBeGreaterThanOrEqual(CURRENT.m * 1024);
    expect(kept).toBeLessThanOrEqual(CURRENT.m * 1024 + 128 * 1024);
    // An imported hash at the original server's 64 MiB verifies on a memory that is not kept.
    expect(await verifyPassword(env.TEST_ORIGINAL_HASHES.member.original, ORIGINAL_PASSWORDS.member)).toBe(true);
    expect(keptHashMemoryBytes()).toBe(kept);
  });
});
