/**
 * The cake ledger against its definition: a year of a 12-member group (two
 * joining during the year, one leaving, absences, a cake every Friday and a
 * few birthdays) replayed day by day through the ledger's own counting, and
 * every balance checked against a plain recomputation from the definition.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/client';
import { addDays, startOfLocalDay } from '../../src/lib/time';
import { countAllDueCakes, countDueCakes } from '../../src/planning/ledger';

const TZ = 'Europe/Berlin';
const START = '2025-01-01';
const END = '2025-12-31';

interface Member {
  id: string;
  joins: string;
  leaves?: string;
  away: [string, string][];
}

const uid = () => crypto.randomUUID();

/** The definition, straight: each cake shared among the members in the group that day and not away; the baker pays 1. */
function recompute(members: Member[], cakes: { date: string; baker: string }[]) {
  const balance = new Map<string, number>(members.map((m) => [m.id, 0]));
  for (const cake of cakes) {
    const inGroup = (m: Member) => m.joins <= cake.date && (!m.leaves || m.leaves > cake.date);
    const eaters = members.filter((m) => inGroup(m) && !m.away.some(([f, t]) => f <= cake.date && t >= cake.date));
    for (const e of eaters) balance.set(e.id, balance.get(e.id)! + 1 / eaters.length);
    balance.set(cake.baker, balance.get(cake.baker)! - 1);
  }
  return balance;
}

describe('the cake ledger', () => {
  it('replays a year of a 12-member group exactly as its definition, balances summing to 0', async () => {
    const db = createDb(env.DB);
    const groupId = uid();
    const now = new Date().toISOString();
    await env.DB.prepare('insert into groups (id, name, time_zone, created_at) values (?, ?, ?, ?)')
      .bind(groupId, `Ledger ${groupId}`, TZ, now)
      .run();
    const members: Member[] = Array.from({ length: 12 }, (_, i) => ({
      id: uid(),
      joins: i < 10 ? '2024-12-01' : i === 10 ? '2025-04-15' : '2025-07-01',
      leaves: i === 3 ? '2025-09-01' : undefined,
      away:
        i === 1
          ? [['2025-03-01', '2025-03-21']]
          : i === 5
            ? [
                ['2025-08-01', '2025-08-31'],
                ['2025-12-20', '2026-01-06'],
              ]
            : i === 11
              ? [['2025-07-01', '2025-07-11']]
              : [],
    }));
    await env.DB.batch(
      members.map((m, i) =>
        env.DB.prepare(
          "insert into users (id, name, email, password_hash, is_active, created_at) values (?, ?, ?, 'x', 1, ?)",
        ).bind(m.id, `Member ${i}`, `ledger-${m.id}@cake.test`, now),
      ),
    );
    await env.DB.batch(
      members.flatMap((m) =>
        m.away.map(([from, to]) =>
          env.DB.prepare(
            'insert into absences (id, user_id, group_id, from_date, to_date, created_at) values (?, ?, ?, ?, ?, ?)',
          ).bind(
            uid(),
            m.id,
            // One absence for every group, the others for this one.
            m === members[5] ? null : groupId,
            from,
            to,
            now,
          ),
        ),
      ),
    );

    const cakes: { id: string; date: string; baker: string }[] = [];
    let turn = 0;
    const present = (date: string) => members.filter((m) => m.joins <= date && (!m.leaves || m.leaves > date));
    for (let date = START; date <= END; date = addDays(date, 1)) {
      const friday = new Date(`${date}T00:00:00Z`).getUTCDay() === 5;
      const birthday = ['2025-02-14', '2025-06-30', '2025-11-11'].includes(date);
      if (!friday && !birthday) continue;
      const bakers = present(date);
      cakes.push({ id: uid(), date, baker: bakers[turn++ % bakers.length]!.id });
    }
    await env.DB.batch(
      cakes.map((cake) =>
        env.DB.prepare('insert into events (id, group_id, baker_id, date, created_at) values (?, ?, ?, ?, ?)').bind(
          cake.id,
          groupId,
          cake.baker,
          cake.date,
          now,
        ),
      ),
    );

    // Day by day: members join (at 09:00 local) and leave, then the day's cakes come due.
    const left = new Map<string, number>();
    for (let date = '2024-12-01'; date <= END; date = addDays(date, 1)) {
      for (const m of members.filter((m) => m.joins === date)) {
        const joinedAt = new Date(Date.parse(startOfLocalDay(TZ, date)) + 9 * 3600_000).toISOString();
        await env.DB.prepare("insert into memberships (user_id, group_id, role, created_at) values (?, ?, 'member', ?)")
          .bind(m.id, groupId, joinedAt)
          .run();
      }
      for (const m of members.filter((m) => m.leaves === date)) {
        const row = await env.DB.prepare('select balance from memberships where user_id = ? and group_id = ?')
          .bind(m.id, groupId)
          .first<{ balance: number }>();
        left.set(m.id, row!.balance);
        await env.DB.prepare('delete from memberships where user_id = ? and group_id = ?').bind(m.id, groupId).run();
      }
      if (date >= START) await countDueCakes(db, { id: groupId, timeZone: TZ, startDate: START }, date);
    }

    const expected = recompute(members, cakes);
    const { results } = await env.DB.prepare(
      'select user_id, balance, cakes_baked, cakes_shared from memberships where group_id = ?',
    )
      .bind(groupId)
      .all<{ user_id: string; balance: number; cakes_baked: number; cakes_shared: number }>();
    expect(results).toHaveLength(11);
    for (const row of results) {
      const m = members.find((x) => x.id === row.user_id)!;
      // A member counted from their join: the definition's balance over the cakes since then.
      expect([row.user_id, row.balance]).toEqual([row.user_id, expect.closeTo(expected.get(m.id)!, 9)]);
      expect(row.cakes_baked).toBe(cakes.filter((c) => c.baker === m.id).length);
    }
    // The one who left took part too: with their balance at leaving, everyone sums to 0.
    const leaver = members[3]!;
    expect(left.get(leaver.id)).toBeCloseTo(expected.get(leaver.id)!, 9);
    const total = results.reduce((sum, r) => sum + r.balance, 0) + left.get(leaver.id)!;
    expect(total).toBeCloseTo(0, 9);
    // Counting again changes nothing: every cake is counted once.
    expect(await countDueCakes(db, { id: groupId, timeZone: TZ, startDate: START }, END)).toBe(0);
  }, 120_000);

  it('the daily run counts what came due in every group with a schedule, each cake once', async () => {
    const db = createDb(env.DB);
    const now = new Date().toISOString();
    const today = now.slice(0, 10);
    const ids = [uid(), uid(), uid()];
    // Two groups with a schedule, one without: only the first two are counted.
    await env.DB.batch([
      ...ids.map((id, i) =>
        env.DB.prepare('insert into groups (id, name, time_zone, created_at) values (?, ?, ?, ?)').bind(
          id,
          `Daily ${id}`,
          i ? 'UTC' : 'Asia/Tokyo',
          now,
        ),
      ),
      ...ids
        .slice(0, 2)
        .map((id) =>
          env.DB.prepare("insert into schedules (group_id, rule, start_date, updated_at) values (?, 'FREQ=WEEKLY', ?, ?)").bind(
            id,
            addDays(today, -30),
            now,
          ),
        ),
      ...ids.map((id) =>
        env.DB.prepare('insert into events (id, group_id, date, created_at) values (?, ?, ?, ?)').bind(
          uid(),
          id,
          addDays(today, -2),
          now,
        ),
      ),
    ]);
    await countAllDueCakes(db, new Date());
    await countAllDueCakes(db, new Date());
    const { results } = await env.DB.prepare(
      `select group_id, ledger_share is not null as counted from events where group_id in (?, ?, ?)`,
    )
      .bind(...ids)
      .all<{ group_id: string; counted: number }>();
    expect(Object.fromEntries(results.map((r) => [r.group_id, r.counted]))).toEqual({ [ids[0]!]: 1, [ids[1]!]: 1, [ids[2]!]: 0 });
  });
});
