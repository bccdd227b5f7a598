/**
 * Query shape at any size: every statement the read endpoints send is
 * replayed under EXPLAIN QUERY PLAN on a database of a few thousand
 * generated rows (without ANALYZE, as in production, the plan does not depend
 * on the row count). None may SCAN events, ratings, users or memberships, and
 * a sort without an index (temp B-tree) is allowed only over the caller's own
 * groups' rows, found through the caller's memberships. A plan can also
 * SEARCH a range that holds a whole table, so each request's rows read (D1's
 * own count, through Server-Timing) must stay below the size of any of those
 * tables.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { createDb } from '../../src/db/client';
import { swapAnswerLinks } from '../../src/events/swap-links';
import { takeLink } from '../../src/events/take-links';
import { autoAssignAll } from '../../src/planning/auto-assign';
import { remindPendingAssignments } from '../../src/planning/reminders';
import { adminToken, call, createUser, FORM_POST, json, type TestUser } from '../helpers/api';
import { channelFixture } from '../helpers/channels';
import { countedRequests, countingD1 } from '../helpers/d1-counter';

const GROUPS = 16;
const USERS = 2_400;
const EVENTS = 6_000;
/** Fewer rows than users, memberships or events hold: reading that many means a table was walked. */
const ROWS_READ_BOUND = 2_000;

/** Generated straight in SQL: fast, and the same shapes as the scale data set. */
async function generate() {
  const now = new Date().toISOString();
  await env.DB.batch([
    env.DB.prepare(`with recursive n(i) as (select 1 union all select i + 1 from n where i < ${GROUPS})
      insert into groups (id, name, created_at) select 'pg-' || i, 'Plan group ' || i, ? from n`).bind(now),
    env.DB.prepare(`with recursive n(i) as (select 1 union all select i + 1 from n where i < ${USERS})
      insert into users (id, name, email, password_hash, is_active, is_admin, calendar_token_hash, created_at)
      select 'pu-' || i, 'Plan user ' || (i * 7919 % ${USERS}), 'plan-' || i || '@cake.test', 'x', 1, i <= 3,
        case when i % 3 = 0 then hex(randomblob(32)) end, ? from n`).bind(now),
    env.DB.prepare(`insert into memberships (user_id, group_id, role, created_at)
      select id, 'pg-' || (cast(substr(id, 4) as integer) % ${GROUPS} + 1),
        case when cast(substr(id, 4) as integer) <= ${2 * GROUPS} then 'admin' else 'member' end, ? from users where id like 'pu-%'`).bind(
      now,
    ),
    env.DB.prepare(`with recursive n(i) as (select 1 union all select i + 1 from n where i < ${EVENTS})
      insert into events (id, group_id, baker_id, date, description, created_at)
      select 'pe-' || i, 'pg-' || (i % ${GROUPS} + 1), 'pu-' || (i % ${USERS} + 1),
        date('2020-01-01', '+' || (i * 37 % 2900) || ' days'), 'Cake ' || i, ? from n`).bind(now),
    // Three assignments per group member in different states, and every group on a schedule.
    env.DB.prepare(`insert into assignments (id, group_id, user_id, date, status, created_at)
      select 'pa-' || m.user_id || '-' || k.k, m.group_id, m.user_id,
        date('2026-01-01', '+' || ((cast(substr(m.user_id, 4) as integer) * 3 + k.k) % 1500) || ' days'),
        case k.k when 0 then 'declined' when 1 then 'withdrawn' else 'declined' end, ?
      from memberships m join (select 0 as k union all select 1 union all select 2) k where m.user_id like 'pu-%'`).bind(now),
    env.DB.prepare(`insert into schedules (group_id, rule, start_date, skip_dates, lead_days, auto_assign, updated_at)
      select id, 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', '2020-01-01', '[]', 14, 1, ? from groups where id like 'pg-%'`).bind(now),
    // Ten ratings per event from members of its group (never the baker).
    env.DB.prepare(`insert or ignore into ratings (event_id, user_id, stars, created_at, updated_at)
      select e.id, m.user_id, 1 + (abs(random()) % 5), ?, ? from events e
      join memberships m on m.group_id = e.group_id and m.user_id <> e.baker_id
      where e.id like 'pe-%' and e.date < date('now') and (cast(substr(m.user_id, 4) as integer) + cast(substr(e.id, 4) as integer)) % 4 = 0`).bind(
      now,
      now,
    ),
  ]);
}

interface Plan {
  sql: string;
  plan: string[];
}

const BIG_TABLES =
  /^SCAN (events|ratings|users|memberships|assignments|handovers|swap_requests|e|x|y|vm|mine|theirs|m|fm|u|va|b|pu|p|r|h|o|oe)\b/;

async function plansOf(counter: { sql: string[]; params: unknown[][] }, writes = false): Promise<Plan[]> {
  const plans: Plan[] = [];
  for (const [i, sql] of counter.sql.entries()) {
    if (!(writes ? /^\s*(select|with|update|insert|delete)\b/i : /^\s*(select|with)\b/i).test(sql)) continue;
    const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
      .bind(...counter.params[i]!)
      .all<{ detail: string }>();
    plans.push({ sql, plan: results.map((r) => r.detail) });
  }
  return plans;
}

function problemsOf(plans: Plan[]): string[] {
  const problems: string[] = [];
  for (const { sql, plan } of plans) {
    // Subquery results (co-routines, materialized views) are scanned by name: they are not tables.
    const derived = new Set(plan.map((line) => /^(?:CO-ROUTINE|MATERIALIZE) (\S+)/.exec(line)?.[1]).filter(Boolean));
    const scans = plan.filter((line) => BIG_TABLES.test(line) && !derived.has(line.split(' ')[1]));
    // Sorting one caller's (or one user's) memberships' rows is bounded by their groups.
    const viaOwnMemberships = plan.some((line) =>
      /SEARCH \S+ USING (COVERING )?INDEX (sqlite_autoindex_memberships_1|memberships_user_joined_idx) \(user_id=\?/.test(line),
    );
    const sorts = plan.filter((line) => /TEMP B-TREE/.test(line));
    if (scans.length) problems.push(`${scans.join('; ')}\n  in: ${sql.slice(0, 300)}`);
    if (sorts.length && !viaOwnMemberships)
      problems.push(`${sorts.join('; ')} over more than the caller's groups\n  in: ${sql.slice(0, 300)}`);
  }
  return problems;
}

let callers: Record<'member' | 'groupAdmin' | 'globalAdmin', string>;
let memberId: string;
let feedPath: string;
/** A channel (with a delivery) of the group each admin caller manages. */
let channelOf: Record<'groupAdmin' | 'globalAdmin', string>;

beforeAll(async () => {
  await generate();
  const admin = await adminToken();
  const made: TestUser[] = [await createUser(), await createUser()];
  const [member, groupAdmin] = made as [TestUser, TestUser];
  await env.DB.batch([
    env.DB.prepare(
      "insert into memberships (user_id, group_id, role, created_at) values (?, 'pg-1', 'member', ?), (?, 'pg-2', 'member', ?)",
    ).bind(member.id, new Date().toISOString(), member.id, new Date().toISOString()),
    env.DB.prepare("insert into memberships (user_id, group_id, role, created_at) values (?, 'pg-3', 'admin', ?)").bind(
      groupAdmin.id,
      new Date().toISOString(),
    ),
  ]);
  callers = { member: member.token, groupAdmin: groupAdmin.token, globalAdmin: admin };
  memberId = member.id;
  channelOf = { groupAdmin: (await channelFixture('pg-3')).id, globalAdmin: (await channelFixture('pg-2')).id };
  // A second delivery each, so the log's next page is planned too.
  for (const channelId of Object.values(channelOf)) {
    await env.DB.prepare(
      `insert into channel_deliveries (id, channel_id, event, body, created_at) values (?, ?, 'channel.test', '{}', ?)`,
    )
      .bind(crypto.randomUUID(), channelId, new Date(Date.now() + 1000).toISOString())
      .run();
  }
  const { url } = await json(call('GET', '/api/user/calendar', { token: member.token }), 200);
  feedPath = new URL(url).pathname;
  // A few thousand rows in one batch: seconds on a busy machine, more than a hook's default.
}, 60_000);

const app = createApp();

const send = countedRequests(app, { env: { SERVER_TIMING: 'on' } });

async function planOfRequest(path: string, token?: string, headers: Record<string, string> = {}) {
  const outcome = await send('GET', path, { token, headers });
  expect(outcome.status, `${path}: ${outcome.status}`).toBeLessThan(400);
  const rowsRead = Number(/(\d+) rows read/.exec(outcome.res.headers.get('Server-Timing') ?? '')?.[1] ?? NaN);
  return { res: outcome.res, plans: await plansOf(outcome), rowsRead };
}

/** A next-page URL's path and query, to plan the keyset step too. */
const nextOf = (res: Response) => {
  const link = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('Link') ?? '')?.[1];
  return link ? new URL(link).pathname + new URL(link).search : undefined;
};

/** An event each caller may see: pe-i belongs to group pg-(i mod GROUPS + 1). */
const ownEvent = { member: 'pe-1', groupAdmin: 'pe-2', globalAdmin: 'pe-3' };
/** A group each caller may plan in. */
const ownGroup = { member: 'pg-1', groupAdmin: 'pg-3', globalAdmin: 'pg-2' };

describe('every read endpoint is served by indexes', () => {
  const reads = (kind: keyof typeof callers) => [
    '/api/user',
    '/api/user/groups',
    '/api/users?limit=5',
    '/api/events?start=2026-03-01&end=2026-03-31',
    '/api/events?start=2025-01-01&end=2026-01-31&limit=5',
    '/api/events?start=2026-01-01&end=2026-12-31&groupId=pg-1',
    `/api/events/${ownEvent[kind]}`,
    `/api/events/${ownEvent[kind]}/ics`,
    '/api/events/ranked?limit=5',
    '/api/events/ranked?groupId=pg-1&limit=5',
    '/api/user/calendar',
    ...(kind === 'member' ? [] : ['/api/admin/users?limit=5', '/api/admin/groups?limit=2']),
    // Planning: one group's schedule, a year of cake days, the rotation (all its members), the caller's absences.
    `/api/groups/${ownGroup[kind]}/schedule`,
    `/api/groups/${ownGroup[kind]}/cake-days?from=2026-01-01&to=2026-12-31`,
    `/api/groups/${ownGroup[kind]}/rotation`,
    '/api/user/absences',
    '/api/user/assignments',
    // Hand-overs: the group's open offers.
    `/api/groups/${ownGroup[kind]}/handovers`,
    // Channels (the group's admins): the group's channels, a channel's delivery log.
    ...(kind === 'member'
      ? []
      : [`/api/groups/${ownGroup[kind]}/channels`, `/api/channels/${channelOf[kind]}/deliveries?limit=1`]),
  ];

  for (const kind of ['member', 'groupAdmin', 'globalAdmin'] as const) {
    it(`as a ${kind}: no scan of a large table, no unbounded sort (first and next pages)`, async () => {
      const problems: string[] = [];
      for (const path of reads(kind)) {
        for (let page: string | undefined = path, n = 0; page && n < 2; n++) {
          const { res, plans, rowsRead } = await planOfRequest(page, callers[kind]);
          problems.push(...problemsOf(plans).map((p) => `${page}: ${p}`));
          if (!(rowsRead < ROWS_READ_BOUND)) problems.push(`${page}: ${rowsRead} rows read`);
          page = nextOf(res);
        }
      }
      expect(problems).toEqual([]);
    });
  }

  it('the calendar feed, fresh and polled with If-None-Match', async () => {
    const first = await planOfRequest(feedPath);
    const polled = await planOfRequest(feedPath, undefined, { 'If-None-Match': first.res.headers.get('ETag')! });
    expect(polled.res.status).toBe(304);
    expect([...problemsOf(first.plans), ...problemsOf(polled.plans)]).toEqual([]);
    expect(first.rowsRead).toBeLessThan(ROWS_READ_BOUND);
    expect(polled.rowsRead).toBeLessThan(20);
    // The owner is found by equality on the unique token hash.
    expect(first.plans.flatMap((p) => p.plan).some((l) => /users_calendar_token_unique \(calendar_token_hash=\?\)/.test(l))).toBe(
      true,
    );
  });

  it("a member's co-members are read in name order off each group's index, a page at a time", async () => {
    const { plans, rowsRead } = await planOfRequest('/api/users?limit=5', callers.member);
    const lines = plans.flatMap((p) => p.plan);
    expect(lines.some((l) => /memberships_group_name_idx \(group_id=\?/.test(l))).toBe(true);
    // A page of 5 of a group of 150: what the page returns, not the group.
    expect(rowsRead).toBeLessThanOrEqual(5 * 5 + 50);
  });

  it('the Hall of Fame reads its order off the partial indexes', async () => {
    const admin = await planOfRequest('/api/events/ranked', callers.globalAdmin);
    const group = await planOfRequest('/api/events/ranked?groupId=pg-1', callers.member);
    const lines = [...admin.plans, ...group.plans].flatMap((p) => p.plan);
    expect(lines.some((l) => /events_hall_of_fame_idx/.test(l))).toBe(true);
    expect(lines.some((l) => /events_group_hall_of_fame_idx \(group_id=\?/.test(l))).toBe(true);
    // A member's list merges its groups' index orders rather than sorting their candidates.
    const member = await planOfRequest('/api/events/ranked', callers.member);
    expect(member.plans.flatMap((p) => p.plan)).toContain('MERGE (UNION ALL)');
  });

  it('a group’s open hand-overs are read off the partial index of open offers, in its order', async () => {
    const { plans } = await planOfRequest(`/api/groups/${ownGroup.member}/handovers`, callers.member);
    const lines = plans.flatMap((p) => p.plan);
    expect(lines.some((l) => /handovers_group_open_idx \(group_id=\?/.test(l))).toBe(true);
    expect(lines.filter((l) => /TEMP B-TREE/.test(l))).toEqual([]);
  });
});

describe('every assignment statement is served by indexes, writes and the daily run included', () => {
  const sendWrite = async (method: string, path: string, token: string, body?: unknown) => {
    const outcome = await send(method, path, { token, body });
    expect(outcome.status, `${method} ${path}: ${outcome.text}`).toBeLessThan(400);
    const plans = await plansOf(outcome, true);
    lines.push(...plans.flatMap((p) => p.plan));
    return { json: JSON.parse(outcome.text), problems: problemsOf(plans) };
  };
  const lines: string[] = [];

  it('assign, accept, decline (passed on), withdraw, an absence over one, a schedule change', async () => {
    const admin = callers.globalAdmin;
    const problems: string[] = [];
    const assign = async (date: string) => {
      const made = await sendWrite('POST', `/api/groups/pg-2/cake-days/${date}/assignment`, admin, { userId: memberId });
      problems.push(...made.problems);
      return made.json.id as string;
    };
    const accepted = await assign('2029-06-01');
    problems.push(...(await sendWrite('POST', `/api/assignments/${accepted}/accept`, callers.member, {})).problems);
    const declined = await assign('2029-06-04');
    problems.push(...(await sendWrite('POST', `/api/assignments/${declined}/decline`, callers.member, {})).problems);
    const withdrawn = await assign('2029-06-05');
    problems.push(...(await sendWrite('DELETE', `/api/assignments/${withdrawn}`, admin)).problems);
    await assign('2029-06-06');
    const absence = { from: '2029-06-06', to: '2029-06-06' };
    problems.push(...(await sendWrite('POST', '/api/user/absences', callers.member, absence)).problems);
    await assign('2029-06-07');
    const schedule = {
      rule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR',
      startDate: '2020-01-01',
      skipDates: ['2029-06-07'],
      autoAssign: true,
    };
    problems.push(...(await sendWrite('PUT', '/api/groups/pg-2/schedule', admin, schedule)).problems);
    expect(problems).toEqual([]);
    // A group's by date, a member's open ones (partial), who had a date (the partial unique index).
    for (const index of ['assignments_group_date_idx', 'assignments_user_open_idx', 'assignments_member_date_unique']) {
      expect(
        lines.some((l) => l.includes(index)),
        index,
      ).toBe(true);
    }
  });

  it('the daily run: auto-assigning every group, and the reminders', async () => {
    const { db, counter } = countingD1(env.DB);
    const queue = { send: async () => {}, sendBatch: async () => {} } as unknown as Queue;
    const quiet = { ...env, MAIL_QUEUE: queue, GROUP_HUB: env.GROUP_HUB };
    await autoAssignAll(createDb(db), quiet, new Date());
    await remindPendingAssignments(createDb(db), quiet, new Date());
    const plans = await plansOf(counter, true);
    expect(problemsOf(plans)).toEqual([]);
    const lines = plans.flatMap((p) => p.plan);
    for (const index of ['assignments_unreminded_idx', 'assignments_pending_date_idx']) {
      expect(
        lines.some((l) => l.includes(index)),
        index,
      ).toBe(true);
    }
  });
});

describe('every hand-over, swap and edit statement is served by indexes, the one-click pages included', () => {
  it('edit, offer, take (API and page), withdraw, swap request and its answers (API and page), delete', async () => {
    const problems: string[] = [];
    const run = async (method: string, path: string, token?: string, body?: unknown) => {
      // A one-click page's button posts an empty form, without a session.
      const headers: Record<string, string> = !token && method === 'POST' ? FORM_POST : {};
      const outcome = await send(method, path, { token, body, headers });
      expect(outcome.status, `${method} ${path}: ${outcome.text.slice(0, 200)}`).toBeLessThan(400);
      problems.push(...problemsOf(await plansOf(outcome, true)).map((p) => `${method} ${path}: ${p}`));
      return outcome.text.startsWith('{') ? JSON.parse(outcome.text) : outcome.text;
    };
    const other = await createUser();
    await env.DB.prepare("insert into memberships (user_id, group_id, role, created_at) values (?, 'pg-2', 'member', ?)")
      .bind(other.id, new Date().toISOString())
      .run();
    const cake = (token: string, date: string) => run('POST', '/api/events', token, { date, groupId: 'pg-2' });
    const origin = 'https://cake.test';

    const first = await cake(callers.member, '2029-07-02');
    await run('PATCH', `/api/events/${first.id}`, callers.member, { description: 'Streuselkuchen', allergens: ['gluten'] });
    const offer = await run('POST', `/api/events/${first.id}/handover`, callers.member, {});
    const page = new URL(await takeLink(env.JWT_SECRET, origin, offer.id, other.id)).pathname;
    await run('GET', page);
    await run('POST', page);

    const second = await cake(callers.member, '2029-07-03');
    const withdrawn = await run('POST', `/api/events/${second.id}/handover`, callers.member, {});
    await run('DELETE', `/api/handovers/${withdrawn.id}`, callers.member);
    const again = await run('POST', `/api/events/${second.id}/handover`, callers.member, {});
    await run('POST', `/api/handovers/${again.id}/take`, other.token);

    const mine = await cake(callers.member, '2029-07-06');
    const theirs = await cake(other.token, '2029-07-08');
    const declined = await run('POST', `/api/events/${mine.id}/swap`, callers.member, { withEventId: theirs.id });
    await run('POST', `/api/swaps/${declined.id}/decline`, other.token);
    const swap = await run('POST', `/api/events/${mine.id}/swap`, callers.member, { withEventId: theirs.id });
    const { acceptUrl } = await swapAnswerLinks(env.JWT_SECRET, origin, swap.id, other.id);
    await run('GET', new URL(acceptUrl).pathname);
    await run('POST', new URL(acceptUrl).pathname);
    // A deletion: its own statements, and what the foreign keys do to assignments, offers and requests.
    const gone = await cake(callers.member, '2029-07-10');
    await run('POST', `/api/events/${gone.id}/handover`, callers.member, {});
    await run('DELETE', `/api/events/${gone.id}`, callers.member);
    expect(problems).toEqual([]);
  });
});
