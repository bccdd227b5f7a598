/**
 * Creating an event, step by step: the group it goes to, the one batch that
 * records it (and reads it back with the members to tell), and the mails.
 * The cover image, if any, is stored in R2 before the rows that name it
 * (src/photos/upload.ts removes it again if the batch fails).
 */
import { and, eq, ne, type SQL, sql } from 'drizzle-orm';
import type { Caller } from '../auth/caller';
import type { Database } from '../db/client';
import { events, type Language, memberships, users } from '../db/schema';
import { ApiError, invalidField } from '../errors';
import type { OutgoingMail } from '../mail';
import { photoKey, storeThenRecord, type Upload } from '../photos/upload';
import { canCreateEventIn } from '../policy';
import { cakeColumns } from './dietary';
import { eventRowsQuery } from './queries';
import type { CakeEvent, NewEvent } from './schema';

/** The group named, which the caller must belong to; else the caller's only group. */
export function groupOfNewEvent(caller: Caller, groupId: string | null | undefined): string {
  if (groupId) {
    if (!canCreateEventIn(caller, groupId)) throw new ApiError('forbidden', 'You are not a member of that group.');
    return groupId;
  }
  if (caller.groups.length === 1) return caller.groups[0]!.id;
  throw invalidField(
    'groupId',
    caller.groups.length ? 'Required: you belong to several groups' : 'Required: you belong to no group',
  );
}

export interface Recipient {
  email: string;
  language: Language;
}

/** What a new event is made of, once its group and baker are decided. */
export interface EventDraft {
  id: string;
  groupId: string;
  bakerId: string;
  date: string;
  description: string;
  coverPhotoKey: string | null;
  /** The dietary columns (src/events/dietary.ts): stated allergens (null = not stated) and diets suited. */
  allergens: number | null;
  suitableFor: number;
}

/**
 * The statements that record an event: insert it, read it back as the
 * baker sees it, and read the group's other active members to tell. With
 * `onlyIf`, the insert happens only while that condition holds when it
 * runs (an accepted assignment: src/planning/answers.ts), and the reads
 * then find nothing.
 */
export function newEventStatements(db: Database, draft: EventDraft, onlyIf?: SQL) {
  const insert = db.insert(events);
  return [
    onlyIf
      ? insert.select(
          // Every column in the table's order: allergens, suitable_for, sequence, the rating aggregates, the ledger's three, created_at.
          sql`select ${draft.id}, ${draft.groupId}, ${draft.bakerId}, ${draft.date}, ${draft.description}, ${draft.coverPhotoKey},
            ${draft.allergens}, ${draft.suitableFor}, 0, 0, 0, null, null, null, ${new Date().toISOString()} where ${onlyIf}`,
        )
      : insert.values(draft),
    eventRowsQuery(db, draft.bakerId, { where: eq(events.id, draft.id) }),
    db
      .select({ email: users.email, language: users.emailLanguage })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(
        and(
          eq(memberships.groupId, draft.groupId),
          ne(users.id, draft.bakerId),
          eq(users.isActive, true),
          sql`exists (select 1 from events n where n.id = ${draft.id})`,
        ),
      ),
  ] as const;
}

/** Inserts the event, reads it back as the caller sees it, and reads the group's other active members: one batch. */
export async function recordNewEvent(
  db: Database,
  bucket: R2Bucket,
  { baker, groupId, input, upload }: { baker: Caller; groupId: string; input: NewEvent; upload: Upload | null },
) {
  const id = crypto.randomUUID();
  const coverPhotoKey = upload ? photoKey(id, upload.ext) : null;
  const draft = {
    id,
    groupId,
    bakerId: baker.id,
    date: input.date,
    description: input.description ?? '',
    coverPhotoKey,
    ...cakeColumns(input),
  };
  const write = () => db.batch(newEventStatements(db, draft));
  const [, rows, recipients] = upload ? await storeThenRecord(bucket, coverPhotoKey!, upload, write) : await write();
  return { row: rows[0]!, recipients: recipients as Recipient[] };
}

/** "Someone brings cake": one mail per other active member, in their language. */
export const newEventMails = (
  baker: { name: string },
  event: Pick<CakeEvent, 'groupName' | 'date' | 'description'>,
  recipients: Recipient[],
): OutgoingMail[] =>
  recipients.map((r) => ({
    to: r.email,
    template: 'new_event' as const,
    language: r.language,
    data: { bakerName: baker.name, groupName: event.groupName, date: event.date, description: event.description },
  }));
