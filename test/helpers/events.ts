/** Cake-event fixtures: dates relative to a group's today, a real tiny PNG, uploads. */
import { env } from 'cloudflare:workers';
import { beforeAll } from 'vitest';
import { addDays, localDate } from '../../src/lib/time';
import { call, groupWith, json, type TestUser } from './api';

/** A valid 1×1 transparent PNG (signature, IHDR, IDAT, IEND with correct CRCs). */
export const PNG_1X1 = Uint8Array.from(
  atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=='),
  (ch) => ch.charCodeAt(0),
);

export const JPEG_HEADER = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);

export const dayIn = (days: number, timeZone = 'Europe/Berlin') => addDays(localDate(timeZone), days);

export const pngFile = (name = 'cake.png') => new File([PNG_1X1], name, { type: 'image/png' });

export async function createEvent(user: TestUser, body: { date: string; description?: string; groupId?: string }): Promise<any> {
  const res = await json(call('POST', '/api/events', { token: user.token, body }), 201);
  return res.event;
}

export function eventForm(event: unknown, files: Record<string, File> = {}): FormData {
  const form = new FormData();
  form.set('event', typeof event === 'string' ? event : JSON.stringify(event));
  for (const [field, file] of Object.entries(files)) form.set(field, file);
  return form;
}

export function photoForm(file: File | string, field = 'photo'): FormData {
  const form = new FormData();
  form.set(field, file);
  return form;
}

export const uploadPhoto = (user: TestUser, eventId: string, file: File | string = pngFile(), field = 'photo') =>
  call('POST', `/api/events/${eventId}/photo`, { token: user.token, form: photoForm(file, field) });

/** Every key in the photo bucket, over all pages of the listing. */
export async function photoKeys(): Promise<string[]> {
  const keys: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await env.PHOTOS.list({ cursor });
    keys.push(...page.objects.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return keys;
}

/** The keys stored since `before` (from photoKeys) was taken: what a request left behind, whatever else is in the bucket. */
export async function photosAddedSince(before: string[]): Promise<string[]> {
  const known = new Set(before);
  return (await photoKeys()).filter((key) => !known.has(key));
}

/** The path part of an absolute photo URL (the tests call the Worker directly). */
export const pathOf = (url: string) => new URL(url).pathname;

/** `/api/photos/<expiry>/<signature>/<key>` (a path or a whole URL) → its parts. */
export function photoPathParts(pathOrUrl: string) {
  const path = pathOrUrl.startsWith('/') ? pathOrUrl : pathOf(pathOrUrl);
  const [, , , expiry, signature, ...key] = path.split('/');
  return { expiry: expiry!, signature: signature!, key: key.join('/') };
}

/**
 * Two groups side by side: in A, anna bakes a past and an upcoming event, ben
 * rated the past one and added a photo to it; in B, olga has an event of her
 * own. What a member of B must never see of A, nor change.
 */
async function neighbours() {
  const a = await groupWith(2);
  const b = await groupWith(1);
  const [anna, ben] = a.users as [TestUser, TestUser];
  const [olga] = b.users as [TestUser];
  const past = await createEvent(anna, { date: dayIn(-1), description: 'secret' });
  const upcoming = await createEvent(anna, { date: dayIn(5) });
  await json(call('POST', `/api/events/${past.id}/rate`, { token: ben.token, body: { stars: 5 } }), 200);
  await json(uploadPhoto(ben, past.id), 201);
  const olgasEvent = await createEvent(olga, { date: dayIn(-1) });
  return { a: a.group, b: b.group, anna, ben, olga, past, upcoming, olgasEvent };
}
export type Neighbours = Awaited<ReturnType<typeof neighbours>>;

/** The neighbours of a describe block, made once before its tests (call it inside the block). */
export function neighboursOfBlock(): Neighbours {
  const n = {} as Neighbours;
  beforeAll(async () => {
    Object.assign(n, await neighbours());
  });
  return n;
}

/** An event row as written straight to D1: dates, covers or numbers of events the API would not take from a test. */
export interface EventRow {
  /** Made up when not given. */
  id?: string;
  groupId: string;
  bakerId: string | null;
  date: string;
  description?: string;
  coverKey?: string | null;
  createdAt?: string;
  /** The rating aggregates, for rows without rating rows (the triggers keep them for real ratings). */
  ratingCount?: number;
  ratingSum?: number;
}

/** The statement that inserts an event row, and the row's id (for a batch). */
export function eventInsert(row: EventRow): { id: string; statement: D1PreparedStatement } {
  const id = row.id ?? crypto.randomUUID();
  const statement = env.DB.prepare(
    `insert into events (id, group_id, baker_id, date, description, cover_photo_key, created_at, rating_count, rating_sum)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).bind(
    id,
    row.groupId,
    row.bakerId,
    row.date,
    row.description ?? '',
    row.coverKey ?? null,
    row.createdAt ?? new Date().toISOString(),
    row.ratingCount ?? 0,
    row.ratingSum ?? 0,
  );
  return { id, statement };
}

/** Inserts event rows in one batch; returns their ids in order. */
export async function insertEvents(...rows: EventRow[]): Promise<string[]> {
  const inserts = rows.map(eventInsert);
  await env.DB.batch(inserts.map((i) => i.statement));
  return inserts.map((i) => i.id);
}

export const insertEvent = async (row: EventRow): Promise<string> => (await insertEvents(row))[0]!;

/** A rating row (the triggers update the event's aggregates). */
export function ratingInsert(eventId: string, userId: string, stars: number): D1PreparedStatement {
  const now = new Date().toISOString();
  return env.DB.prepare('insert into ratings (event_id, user_id, stars, created_at, updated_at) values (?, ?, ?, ?, ?)').bind(
    eventId,
    userId,
    stars,
    now,
    now,
  );
}

/** A gallery photo row (the R2 object is the caller's business). */
export function galleryPhotoInsert(eventId: string, userId: string, key: string, contentType = 'image/png'): D1PreparedStatement {
  return env.DB.prepare(
    'insert into event_photos (event_id, user_id, object_key, content_type, created_at) values (?, ?, ?, ?, ?)',
  ).bind(eventId, userId, key, contentType, new Date().toISOString());
}

/**
 * Many voters at once: fixture users (members of the group) and their
 * ratings written straight to D1, so the rating triggers maintain the
 * aggregates exactly as for ratings made through the API.
 */
export async function seedRatings(groupId: string, eventId: string, stars: number[]): Promise<void> {
  const now = new Date().toISOString();
  const statements = stars.flatMap((s) => {
    const id = crypto.randomUUID();
    return [
      env.DB.prepare('insert into users (id, name, email, password_hash, is_active, created_at) values (?, ?, ?, ?, 1, ?)').bind(
        id,
        `Voter ${id.slice(0, 8)}`,
        `voter-${id}@cake.test`,
        'x',
        now,
      ),
      env.DB.prepare('insert into memberships (user_id, group_id, role, created_at) values (?, ?, ?, ?)').bind(
        id,
        groupId,
        'member',
        now,
      ),
      ratingInsert(eventId, id, s),
    ];
  });
  await env.DB.batch(statements);
}
