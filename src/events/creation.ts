/**
 * Creating an event, step by step: the group it goes to, the one batch that
 * records it (and reads it back with the members to tell), and the mails.
 * The cover image, if any, is stored in R2 before the rows that name it
 * (src/photos/upload.ts removes it again if the batch fails).
 */
import { and, eq, ne } from 'drizzle-orm';
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

/** Inserts the event, reads it back as the caller sees it, and reads the group's other active members: one batch. */
export async function recordNewEvent(
  db: Database,
  bucket: R2Bucket,
  { baker, groupId, input, upload }: { baker: Caller; groupId: string; input: NewEvent; upload: Upload | null },
) {
  const id = crypto.randomUUID();
  const coverPhotoKey = upload ? photoKey(id, upload.ext) : null;
  const write = () =>
    db.batch([
      db.insert(events).values({
        id,
        groupId,
        bakerId: baker.id,
        date: input.date,
        description: input.description ?? '',
        coverPhotoKey,
        ...cakeColumns(input),
      }),
      eventRowsQuery(db, baker.id, { where: eq(events.id, id) }),
      db
        .select({ email: users.email, language: users.emailLanguage })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(and(eq(memberships.groupId, groupId), ne(users.id, baker.id), eq(users.isActive, true))),
    ]);
  const [, rows, recipients] = upload ? await storeThenRecord(bucket, coverPhotoKey!, upload, write) : await write();
  return { row: rows[0]!, recipients: recipients as Recipient[] };
}

/** "Someone brings cake": one mail per other active member, in their language. */
export const newEventMails = (baker: Caller, event: CakeEvent, recipients: Recipient[]): OutgoingMail[] =>
  recipients.map((r) => ({
    to: r.email,
    template: 'new_event' as const,
    language: r.language,
    data: { bakerName: baker.name, groupName: event.groupName, date: event.date, description: event.description },
  }));
