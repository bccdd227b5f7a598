/**
 * The daily run's channel messages. The cron only enqueues one job per
 * group with an enabled channel (one statement, one send per 100 groups),
 * so 500 groups fan out through the queue instead of filling one cron
 * invocation; each job then works out its group's messages in the group's
 * time zone:
 *
 * - `cake.tomorrow` for each cake of the group's tomorrow;
 * - `cake_day.open` for each open cake day of the schedule within 3 days
 *   (today included), once per date;
 * - `hall_of_fame.weekly` on the group's Mondays: last week's best rated
 *   cakes (at most 5, by the Hall of Fame's score).
 *
 * Each is sent under a once-key (src/channels/fan-out.ts), so a second run
 * the same day sends nothing twice.
 */
import { and, between, eq, lt } from 'drizzle-orm';
import type { Database } from '../db/client';
import { channelDispatches, channels, events } from '../db/schema';
import type { Bindings } from '../env';
import { bakerNameOf } from '../events/queries';
import { PRIOR_MEAN, PRIOR_WEIGHT } from '../events/ranking';
import { addDays, localDate } from '../lib/time';
import { openAssignmentsInRangeQuery } from '../planning/assignments';
import { toCakeDays } from '../planning/cake-days';
import { groupScheduleQuery, scheduleOf } from '../planning/schedule';
import type { DailyJob } from './announce';
import type { ChannelMessage, RankedCake } from './events';
import { fanOut, type Once } from './fan-out';

const OPEN_DAY_HORIZON = 3;
const HALL_OF_FAME_SIZE = 5;
/** Once-keys are kept this long: longer than any window they guard. */
const DISPATCH_KEEP_MS = 8 * 24 * 60 * 60 * 1000;
const SEND_BATCH = 100;

/** The cron's part: one daily job per group that has an enabled channel. */
export async function queueDailyChannelJobs(env: Bindings, db: Database, scheduledTime: number): Promise<number> {
  const rows = await db.selectDistinct({ groupId: channels.groupId }).from(channels).where(eq(channels.enabled, true));
  const at = new Date(scheduledTime).toISOString();
  for (let i = 0; i < rows.length; i += SEND_BATCH) {
    await env.CHANNEL_QUEUE.sendBatch(
      rows.slice(i, i + SEND_BATCH).map((r): { body: DailyJob } => ({ body: { kind: 'daily', groupId: r.groupId, at } })),
    );
  }
  await db
    .delete(channelDispatches)
    .where(lt(channelDispatches.createdAt, new Date(scheduledTime - DISPATCH_KEEP_MS).toISOString()));
  return rows.length;
}

function windowQuery(db: Database, groupId: string, from: string, to: string) {
  return db
    .select({
      id: events.id,
      date: events.date,
      description: events.description,
      bakerId: events.bakerId,
      bakerName: bakerNameOf(events.bakerId),
      ratingCount: events.ratingCount,
      ratingSum: events.ratingSum,
    })
    .from(events)
    .where(and(eq(events.groupId, groupId), between(events.date, from, to)))
    .orderBy(events.date, events.createdAt, events.id);
}

const score = (c: { ratingSum: number; ratingCount: number }) =>
  (c.ratingSum + PRIOR_MEAN * PRIOR_WEIGHT) / (c.ratingCount + PRIOR_WEIGHT);

/** The group's messages of the day, each with its once-key. */
async function dailyMessages(db: Database, job: DailyJob): Promise<{ message: ChannelMessage; once: Once }[]> {
  const [group] = await groupScheduleQuery(db, job.groupId);
  if (!group) return [];
  const today = localDate(group.timeZone, new Date(job.at));
  const tomorrow = addDays(today, 1);
  // The cakes around today and the days an assignment holds (pending or accepted): one round trip.
  const [cakes, assigned] = await db.batch([
    windowQuery(db, job.groupId, addDays(today, -7), addDays(today, OPEN_DAY_HORIZON)),
    openAssignmentsInRangeQuery(db, job.groupId, today, addDays(today, OPEN_DAY_HORIZON)),
  ]);
  const base = { groupId: job.groupId, at: job.at };
  const out: { message: ChannelMessage; once: Once }[] = [];

  for (const c of cakes.filter((c) => c.date === tomorrow)) {
    out.push({
      message: {
        ...base,
        type: 'cake.tomorrow',
        cake: { eventId: c.id, date: c.date, bakerName: c.bakerName, description: c.description },
      },
      once: { key: `cake.tomorrow:${c.id}:${c.date}` },
    });
  }
  const upcoming = cakes.filter((c) => c.date >= today);
  for (const day of toCakeDays(scheduleOf(group), today, addDays(today, OPEN_DAY_HORIZON), upcoming, assigned)) {
    if (day.open)
      out.push({
        message: { ...base, type: 'cake_day.open', date: day.date },
        once: { key: `cake_day.open:${job.groupId}:${day.date}` },
      });
  }
  // Monday in the group's zone (the date is a calendar date: its UTC weekday is its weekday).
  if (new Date(`${today}T00:00:00Z`).getUTCDay() === 1) {
    const best: RankedCake[] = cakes
      .filter((c) => c.date < today && c.ratingCount > 0)
      .sort((a, b) => score(b) - score(a) || b.ratingCount - a.ratingCount)
      .slice(0, HALL_OF_FAME_SIZE)
      .map((c) => ({
        eventId: c.id,
        date: c.date,
        bakerName: c.bakerName,
        description: c.description,
        average: Math.round((c.ratingSum / c.ratingCount) * 10) / 10,
        count: c.ratingCount,
      }));
    out.push({
      message: { ...base, type: 'hall_of_fame.weekly', week: today, cakes: best },
      once: { key: `hall_of_fame.weekly:${job.groupId}:${today}` },
    });
  }
  return out;
}

/** A daily job: each message fanned out under its own once-key (and its own run, so delivery ids never collide). */
export async function runDailyJob(env: Bindings, db: Database, job: DailyJob, run: string): Promise<number> {
  let sent = 0;
  for (const { message, once } of await dailyMessages(db, job)) {
    sent += await fanOut(env, db, message, (env.PUBLIC_URL || '').replace(/\/+$/, ''), `${run}:${once.key}`, once);
  }
  return sent;
}
