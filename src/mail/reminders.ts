/**
 * Daily cron: remind tomorrow's bakers. "Tomorrow" is per group time zone, so
 * the query looks at the two candidate dates around UTC and filters per group.
 */
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { createDb } from '../db/client';
import { events, groups, reminderLog, users } from '../db/schema';
import type { Bindings } from '../env';
import { addDays, localDate } from '../lib/time';
import { enqueueMail, type OutgoingMail } from '.';

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
  await db.insert(reminderLog).values(due.map((r) => ({ eventId: r.eventId }))).onConflictDoNothing();
  const mails: OutgoingMail<'reminder'>[] = due.map((r) => ({
    to: r.email,
    template: 'reminder',
    language: r.language,
    data: { name: r.name, groupName: r.groupName, date: r.date },
  }));
  await enqueueMail(env, ...mails);
  return due.length;
}
