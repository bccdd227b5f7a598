/**
 * Daily cron: remind tomorrow's bakers. "Tomorrow" is per group time zone, so
 * the query looks at the candidate dates around UTC and filters per group.
 *
 * Each reminder is claimed in reminder_log before it is queued, so a cron that
 * fires twice sends it once; claims whose mail could not be queued are
 * released again, and the error fails the run so the next one retries them.
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { createDb } from '../db/client';
import { events, groups, reminderLog, users } from '../db/schema';
import type { Bindings } from '../env';
import { dietaryNeedsQuery, needsSentence, toDietaryNeeds } from '../events/dietary';
import { addDays, localDate } from '../lib/time';
import { type OutgoingMail, queueMail } from '.';

/** D1 binds at most 100 parameters per statement: claim in slices well below that. */
const CLAIM_SLICE = 50;

export async function sendReminders(env: Bindings, now: Date): Promise<number> {
  const db = createDb(env.DB);
  const utcToday = now.toISOString().slice(0, 10);
  const candidates = [addDays(utcToday, 0), addDays(utcToday, 1), addDays(utcToday, 2)];
  const rows = await db
    .select({
      eventId: events.id,
      date: events.date,
      timeZone: groups.timeZone,
      groupName: groups.name,
      name: users.name,
      email: users.email,
      language: users.emailLanguage,
    })
    .from(events)
    .innerJoin(groups, eq(groups.id, events.groupId))
    .innerJoin(users, eq(users.id, events.bakerId))
    .leftJoin(reminderLog, eq(reminderLog.eventId, events.id))
    .where(and(inArray(events.date, candidates), eq(users.isActive, true), isNull(reminderLog.eventId)));

  const due = rows.filter((r) => r.date === addDays(localDate(r.timeZone, now), 1));
  if (due.length === 0) return 0;

  const slices: string[][] = [];
  for (let i = 0; i < due.length; i += CLAIM_SLICE) slices.push(due.slice(i, i + CLAIM_SLICE).map((r) => r.eventId));
  const [claim, ...moreClaims] = slices.map((ids) =>
    db
      .insert(reminderLog)
      .values(ids.map((eventId) => ({ eventId })))
      .onConflictDoNothing()
      .returning({ eventId: reminderLog.eventId }),
  );
  const claimed = new Set((await db.batch([claim!, ...moreClaims])).flat().map((r) => r.eventId));

  const reminded = due.filter((r) => claimed.has(r.eventId));
  try {
    // Each cake's dietary needs (counts), all in one round trip.
    const [firstNeeds, ...moreNeeds] = reminded.map((r) => dietaryNeedsQuery(db, r.eventId, sql`1`));
    const needs = firstNeeds ? await db.batch([firstNeeds, ...moreNeeds]) : [];
    const mails: OutgoingMail<'reminder'>[] = reminded.map((r, i) => {
      const sentence = needsSentence(toDietaryNeeds(needs[i]![0]!), r.language);
      const data = { name: r.name, groupName: r.groupName, date: r.date, ...(sentence ? { needs: sentence } : {}) };
      return { to: r.email, template: 'reminder', language: r.language, data };
    });
    await queueMail(env, mails);
  } catch (error) {
    const [release, ...moreReleases] = slices.map((ids) => db.delete(reminderLog).where(inArray(reminderLog.eventId, ids)));
    await db.batch([release!, ...moreReleases]);
    throw error;
  }
  return reminded.length;
}
