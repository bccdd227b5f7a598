/**
 * GET /api/admin/dead-letters: what failed every attempt of the mail queue's
 * consumer reaches the dead-letter queue, whose consumer records it; global
 * admins list it, newest first, paged. Who else may not: test/access.test.ts.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import worker from '../../src/index';
import { adminToken, call, expectProblem, json } from '../helpers/api';
import { captureLogs } from '../helpers/logs';

afterEach(() => vi.restoreAllMocks());

const DLQ = 'cake-planner-mail-dlq';

async function deadLetter(messages: { id: string; body: unknown }[]) {
  const batch = createMessageBatch(
    DLQ,
    messages.map((m) => ({ ...m, timestamp: new Date('2026-12-01T06:00:00Z'), attempts: 1 })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch as never, env as never, ctx);
  return getQueueResult(batch, ctx);
}

const nextLink = (res: Response) => /^<([^>]+)>; rel="next"$/.exec(res.headers.get('Link') ?? '')?.[1];

describe('happy', () => {
  it('records each dead letter by what it was for, never its content, and lists it newest first', async () => {
    const [a, b] = [crypto.randomUUID(), crypto.randomUUID()];
    const logs = captureLogs();
    const result = await deadLetter([
      {
        id: a,
        body: {
          to: 'ann@cake.test',
          template: 'temporary_password',
          language: 'en',
          data: { name: 'Ann', password: 'Temp-XYZ-123', minutes: 30 },
        },
      },
      { id: b, body: { kind: 'new_account_digest', after: '2026-12-01T00:00:00Z', until: '2026-12-01T01:00:00Z' } },
    ]);
    expect(result.ackAll).toBe(true);
    expect(logs.entries()).toContainEqual(
      expect.objectContaining({ level: 'warn', msg: 'dead letters recorded', queue: 'cake-planner-mail', messages: 2 }),
    );
    expect(logs.lines.join('\n')).not.toMatch(/ann@cake\.test|Temp-XYZ-123/);

    const list = await json<Record<string, unknown>[]>(
      call('GET', '/api/admin/dead-letters', { token: await adminToken() }),
      200,
    );
    const mine = list.filter((d) => d.id === a || d.id === b);
    expect(mine).toHaveLength(2);
    expect(mine).toContainEqual({
      id: a,
      queue: 'cake-planner-mail',
      kind: 'temporary_password',
      recipient: 'ann@cake.test',
      sentAt: '2026-12-01T06:00:00.000Z',
      recordedAt: expect.any(String),
    });
    expect(mine).toContainEqual(expect.objectContaining({ id: b, kind: 'new_account_digest', recipient: null }));
    expect(JSON.stringify(list)).not.toContain('Temp-XYZ-123');
    const order = list.map((d) => `${d.recordedAt} ${d.id}`);
    expect(order).toEqual([...order].sort().reverse());
  });

  it('records a redelivered dead letter once', async () => {
    const id = crypto.randomUUID();
    const body = {
      to: 'bob@cake.test',
      template: 'reminder',
      language: 'de',
      data: { name: 'Bob', groupName: 'G', date: '2026-12-02' },
    };
    await deadLetter([{ id, body }]);
    await deadLetter([{ id, body }]);
    const { results } = await env.DB.prepare('select count(*) n from dead_letters where id = ?').bind(id).all<{ n: number }>();
    expect(results[0]!.n).toBe(1);
  });

  it('pages with a Link to the next page, every row once', async () => {
    await deadLetter(
      Array.from({ length: 3 }, () => ({ id: crypto.randomUUID(), body: { to: 'x@cake.test', template: 'reminder' } })),
    );
    const token = await adminToken();
    const seen: unknown[] = [];
    let res = await call('GET', '/api/admin/dead-letters?limit=2', { token });
    for (;;) {
      seen.push(...(await json<{ id: string }[]>(res, 200)).map((d) => d.id));
      const next = nextLink(res);
      if (!next) break;
      res = await call('GET', new URL(next).pathname + new URL(next).search, { token });
    }
    const { results } = await env.DB.prepare('select count(*) n from dead_letters').all<{ n: number }>();
    expect(seen.length).toBe(results[0]!.n);
    expect(new Set(seen).size).toBe(seen.length);
  });
});

describe('bad input', () => {
  it('refuses a limit over the maximum and a forged cursor', async () => {
    const token = await adminToken();
    await expectProblem(call('GET', '/api/admin/dead-letters?limit=101', { token }), 400);
    await expectProblem(call('GET', '/api/admin/dead-letters?cursor=abc.def', { token }), 400);
  });
});
