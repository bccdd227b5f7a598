/**
 * The daily run's reminders of pending assignments: once after 48 hours
 * unanswered, and the day before the date (the usual baker reminder, with
 * the answer links, src/mail/reminders.ts being the one for cakes). Each is
 * claimed by a conditional update before it is queued (its column still
 * null), so a run that fires twice reminds once; claims whose mail could
 * not be queued are released again and the run fails, to retry next time.
 */
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Database } from '../db/client';
import { assignments } from '../db/schema';
import type { Bindings } from '../env';
import { addDays, localDate } from '../lib/time';
import { type OutgoingMail, queueMail } from '../mail';
import { answerLinks } from './answer-links';
import { type AssignmentAction, pendingOnDatesQuery, unremindedQuery } from './assignments';
import { assignedMail, linkOrigin } from './notices';

const REMINDER_AFTER_MS = 48 * 60 * 60 * 1000;
/** At most this many reminders of each kind a run; a larger backlog is finished by the next runs. */
const PER_RUN = 500;
/** D1 binds at most 100 parameters per statement: claim in slices well below that. */
const SLICE = 50;

const slices = (ids: string[]) =>
  Array.from({ length: Math.ceil(ids.length / SLICE) }, (_, i) => ids.slice(i * SLICE, (i + 1) * SLICE));

type ReminderColumn = 'remindedAt' | 'eveRemindedAt';

/** Marks the pending rows of `ids` whose `column` is still null: the ids this run claimed. */
async function claim(db: Database, column: ReminderColumn, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const [first, ...rest] = slices(ids).map((part) =>
    db
      .update(assignments)
      .set({ [column]: new Date().toISOString() })
      .where(and(inArray(assignments.id, part), eq(assignments.status, 'pending'), isNull(assignments[column])))
      .returning({ id: assignments.id }),
  );
  return new Set((await db.batch([first!, ...rest])).flat().map((r) => r.id));
}

/** Gives claims back whose mail could not be queued. */
async function release(db: Database, column: ReminderColumn, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const [first, ...rest] = slices(ids).map((part) =>
    db
      .update(assignments)
      .set({ [column]: null })
      .where(inArray(assignments.id, part)),
  );
  await db.batch([first!, ...rest]);
}

/**
 * Claims every row given (so that one whose date passed unanswered leaves
 * the reminder index for good) and mails those `send` keeps.
 */
async function remind(
  db: Database,
  env: Bindings,
  column: ReminderColumn,
  rows: AssignmentAction[],
  send: (a: AssignmentAction) => boolean,
  mail: (a: AssignmentAction) => Promise<OutgoingMail>,
): Promise<number> {
  const claimed = await claim(
    db,
    column,
    rows.map((r) => r.id),
  );
  const due = rows.filter((r) => claimed.has(r.id) && send(r));
  const mails = await Promise.all(due.map(mail));
  try {
    await queueMail(env, mails);
  } catch (error) {
    await release(
      db,
      column,
      due.map((r) => r.id),
    );
    throw error;
  }
  return mails.length;
}

/** Both reminders; returns how many went out. */
export async function remindPendingAssignments(db: Database, env: Bindings, now: Date): Promise<number> {
  const origin = linkOrigin(env);
  const utcToday = now.toISOString().slice(0, 10);
  const [unreminded, eve] = await db.batch([
    unremindedQuery(db, new Date(now.getTime() - REMINDER_AFTER_MS).toISOString(), PER_RUN),
    pendingOnDatesQuery(db, [utcToday, addDays(utcToday, 1), addDays(utcToday, 2)]),
  ]);
  // Reminded only while the date has not passed in the group's zone; the eve reminder for tomorrow there.
  const after48h = await remind(
    db,
    env,
    'remindedAt',
    unreminded,
    (a) => a.date >= localDate(a.timeZone, now),
    (a) => assignedMail(env, origin, a, 'assignment_reminder'),
  );
  const tomorrow = eve.filter((a) => a.date === addDays(localDate(a.timeZone, now), 1)).slice(0, PER_RUN);
  const dayBefore = await remind(
    db,
    env,
    'eveRemindedAt',
    tomorrow,
    () => true,
    async (a) => ({
      to: a.email,
      template: 'reminder',
      language: a.emailLanguage,
      data: { name: a.userName, groupName: a.groupName, date: a.date, answer: await answerLinks(env.JWT_SECRET, origin, a.id) },
    }),
  );
  return after48h + dayBefore;
}
