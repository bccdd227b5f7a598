/**
 * The complete Cake Planner data model. One source for D1 (drizzle-kit
 * migrations), request validation and the OpenAPI document (drizzle-zod).
 *
 * Timestamps are ISO 8601 strings in UTC (`2026-11-26T10:00:00.000Z`) so that
 * they leave the database in wire format; calendar dates are `YYYY-MM-DD`.
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

const id = () =>
  text('id')
    .primaryKey()
    .$defaultFn(() => crypto.randomUUID());
const now = () => new Date().toISOString();
const createdAt = () => text('created_at').notNull().$defaultFn(now);

export const LANGUAGES = ['de', 'en'] as const;
/** Diets a cake can suit and a user can follow (src/events/dietary.ts). */
export const DIETS = ['vegetarian', 'vegan'] as const;
export type Language = (typeof LANGUAGES)[number];
export const ROLES = ['admin', 'member'] as const;
export type Role = (typeof ROLES)[number];

export const users = sqliteTable(
  'users',
  {
    id: id(),
    name: text('name').notNull(),
    /** Stored trimmed and lower-cased: emails compare case-insensitively. */
    email: text('email').notNull(),
    /** PHC string (argon2id with its parameters). */
    passwordHash: text('password_hash').notNull(),
    isAdmin: integer('is_admin', { mode: 'boolean' }).notNull().default(false),
    isActive: integer('is_active', { mode: 'boolean' }).notNull().default(false),
    mustChangePassword: integer('must_change_password', { mode: 'boolean' }).notNull().default(false),
    /** Part of every JWT; bumping it revokes all tokens of the user at once. */
    tokenVersion: integer('token_version').notNull().default(0),
    /**
     * The one session (JWT id) that outlives the token-version bump of the
     * password change or 2FA activation it made: valid while token_version is
     * one past its version, so the next revocation of any kind ends it too.
     * Those end every other session, not the caller's (the web app keeps
     * using its token and ignores the fresh one in the answer).
     */
    keptSessionId: text('kept_session_id'),
    language: text('language', { enum: LANGUAGES }).notNull().default('en'),
    emailLanguage: text('email_language', { enum: LANGUAGES }).notNull().default('en'),
    /**
     * Health data, shown to the user alone (src/events/dietary.ts): the
     * allergens they avoid (a bit set over ALLERGENS) and their diet.
     */
    dietaryAvoids: integer('dietary_avoids').notNull().default(0),
    diet: text('diet', { enum: DIETS }),
    /** The group an admin last assigned (the admin panel's one-group view). */
    primaryGroupId: text('primary_group_id').references(() => groups.id, { onDelete: 'set null' }),
    /** AES-GCM encrypted TOTP secrets: the active one and one awaiting activation. */
    totpSecret: text('totp_secret'),
    totpPendingSecret: text('totp_pending_secret'),
    /** Last accepted TOTP time step: a code is accepted at most once. */
    totpLastStep: integer('totp_last_step'),
    /** SHA-256 (hex) of the calendar-feed token: the feed finds its owner by equality on it. The token itself is never stored. */
    calendarTokenHash: text('calendar_token_hash'),
    /** The random seed the token is derived from (see src/calendar/feed-token.ts); useless without the server secret. */
    calendarTokenSeed: text('calendar_token_seed'),
    createdAt: createdAt(),
    lastLoginAt: text('last_login_at'),
  },
  (t) => [
    uniqueIndex('users_email_unique').on(t.email),
    uniqueIndex('users_calendar_token_unique').on(t.calendarTokenHash),
    index('users_admin_active_idx').on(t.isAdmin, t.isActive),
    // Deleting a group sets its users' primary group to null (FK): without the index, a scan of users.
    index('users_primary_group_idx').on(t.primaryGroupId),
    // The order of every user list, and its keyset. The id, not the email, breaks ties: a page
    // cursor carries the key of its last row, and a member may not see a co-member's email.
    index('users_name_id_idx').on(t.name, t.id),
    // A baker's name beside each cake (bakerNameOf in src/events/queries.ts) read from this index
    // alone: one probe per cake instead of the id's index and then the user's row.
    index('users_id_name_idx').on(t.id, t.name),
    // The new-account digest lists the accounts registered in a 10-minute window.
    index('users_created_idx').on(t.createdAt),
    check('users_email_lower', sql`${t.email} = lower(${t.email})`),
  ],
);

export const groups = sqliteTable(
  'groups',
  {
    id: id(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    /** IANA time zone deciding what "today" means for the group. */
    timeZone: text('time_zone').notNull().default('Europe/Berlin'),
    /** Bumped by triggers whenever what the group's calendar feeds show changes: the feeds' ETag. */
    feedVersion: integer('feed_version').notNull().default(0),
    /**
     * Kept by triggers on memberships (migration 0013): a list of groups reads
     * one row per group, not one per member.
     */
    memberCount: integer('member_count').notNull().default(0),
    /** What the group receives as a whole (channel messages) is in this language. */
    language: text('language', { enum: LANGUAGES }).notNull().default('de'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('groups_name_unique').on(sql`lower(${t.name})`)],
);

export const memberships = sqliteTable(
  'memberships',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    groupId: text('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ROLES }).notNull().default('member'),
    joinedAt: createdAt(),
    /**
     * The cake ledger (src/planning/ledger.ts), kept as cakes come due: the
     * shares of cakes eaten minus the cakes baked since joining. Leaving the
     * group drops it with the row; rejoining starts at 0.
     */
    balance: real('balance').notNull().default(0),
    cakesBaked: integer('cakes_baked').notNull().default(0),
    cakesShared: integer('cakes_shared').notNull().default(0),
    lastBakedOn: text('last_baked_on'),
    /**
     * The member's name, kept equal to `users.name` by triggers (migration
     * 0015): a group's members in name order off one index, so a page of
     * co-members reads that page, not the whole group sorted.
     */
    memberName: text('member_name').notNull().default(''),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.groupId] }),
    // A group's members in name order (GET /api/users): the index is the order, the page is a seek and a walk.
    index('memberships_group_name_idx').on(t.groupId, t.memberName, t.userId),
    // A group's members (and its admins) without touching the table: counts, co-members, the admins' scope.
    index('memberships_group_idx').on(t.groupId, t.role, t.userId),
    // A user's groups in joining order with their roles, off the index alone: every caller check and every
    // User object reads them (a list of users otherwise sorts each user's memberships in a temporary B-tree).
    index('memberships_user_joined_idx').on(t.userId, t.joinedAt, t.groupId, t.role),
    check('memberships_role_valid', sql`${t.role} in ('admin', 'member')`),
  ],
);

// Events, the table. HTTP routes: src/routes/events/; domain module: src/events/.
export const events = sqliteTable(
  'events',
  {
    id: id(),
    groupId: text('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    /** Null once the baker deleted their account: past events stay ("Deleted user"). */
    bakerId: text('baker_id').references(() => users.id, { onDelete: 'set null' }),
    date: text('date').notNull(),
    description: text('description').notNull().default(''),
    /** R2 key of the baker's cover photo. */
    coverPhotoKey: text('cover_photo_key'),
    /** The allergens the baker stated (a bit set over ALLERGENS, src/events/dietary.ts); null = not stated. */
    allergens: integer('allergens'),
    /** The diets the cake suits (a bit set over DIETS); 0 = not stated. */
    suitableFor: integer('suitable_for').notNull().default(0),
    /** The calendar entry's SEQUENCE: up by one with every change of what the entry shows (date, description, allergens). */
    sequence: integer('sequence').notNull().default(0),
    /** Maintained by triggers on `ratings`, so ranking never scans ratings. */
    ratingCount: integer('rating_count').notNull().default(0),
    ratingSum: integer('rating_sum').notNull().default(0),
    /** The share 1/n each eater gained when the ledger counted this cake (null: not counted yet). */
    ledgerShare: real('ledger_share'),
    /** Who the ledger charged for it (the baker then), so a later change of baker or deletion undoes exactly that. */
    ledgerBakerId: text('ledger_baker_id'),
    /** The run that counted it: the batch's later statements apply only where their own run set it (no double count). */
    ledgerRun: text('ledger_run'),
    createdAt: createdAt(),
  },
  (t) => [
    // The cakes the ledger has still to count, per group in date order (src/planning/ledger.ts).
    index('events_ledger_due_idx').on(t.groupId, t.date).where(sql`${t.ledgerShare} is null`),
    // Event lists: one group's in order, or every group's (a global admin's) in order.
    index('events_group_date_idx').on(t.groupId, t.date, t.createdAt, t.id),
    index('events_date_order_idx').on(t.date, t.createdAt, t.id),
    index('events_baker_idx').on(t.bakerId, t.date),
    // Hall of Fame, read off in order: the leading expression is `scoreOf` in src/events/ranking.ts, verbatim.
    index('events_hall_of_fame_idx')
      .on(sql`((${t.ratingSum} + 15) * 1.0 / (${t.ratingCount} + 5))`, t.ratingCount, t.date, t.createdAt, t.id)
      .where(sql`${t.ratingCount} > 0`),
    index('events_group_hall_of_fame_idx')
      .on(t.groupId, sql`((${t.ratingSum} + 15) * 1.0 / (${t.ratingCount} + 5))`, t.ratingCount, t.date, t.createdAt, t.id)
      .where(sql`${t.ratingCount} > 0`),
  ],
);

export const ratings = sqliteTable(
  'ratings',
  {
    eventId: text('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    stars: integer('stars').notNull(),
    comment: text('comment'),
    createdAt: createdAt(),
    updatedAt: text('updated_at').notNull().$defaultFn(now),
  },
  (t) => [
    primaryKey({ columns: [t.eventId, t.userId] }),
    index('ratings_user_idx').on(t.userId),
    check('ratings_stars_range', sql`${t.stars} between 1 and 5`),
  ],
);

export const eventPhotos = sqliteTable(
  'event_photos',
  {
    eventId: text('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** R2 object key: events/<eventId>/<random>.<ext> */
    objectKey: text('object_key').notNull(),
    contentType: text('content_type').notNull(),
    uploadedAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.userId] }), index('event_photos_user_idx').on(t.userId)],
);

/** Forgot-password codes: hashed, expiring, single use, never replacing the password. */
export const temporaryPasswords = sqliteTable(
  'temporary_passwords',
  {
    id: id(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    passwordHash: text('password_hash').notNull(),
    expiresAt: text('expires_at').notNull(),
    usedAt: text('used_at'),
    createdAt: createdAt(),
  },
  (t) => [index('temporary_passwords_user_idx').on(t.userId, t.expiresAt)],
);

/** Single-use, one-minute tickets that let EventSource clients open the stream. */
export const streamTickets = sqliteTable(
  'stream_tickets',
  {
    ticketHash: text('ticket_hash').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The requesting session's token version: a ticket dies with the session (password change, logout everywhere). */
    tokenVersion: integer('token_version').notNull(),
    expiresAt: text('expires_at').notNull(),
  },
  (t) => [
    index('stream_tickets_expiry_idx').on(t.expiresAt),
    // Deleting a user cascades to their tickets (FK): without the index, a scan of the tickets.
    index('stream_tickets_user_idx').on(t.userId),
  ],
);

/**
 * The 10 single-use 2FA recovery codes a user got when enabling 2FA, as
 * HMACs (the codes are random, so a keyed hash is enough). Using one deletes it.
 */
export const recoveryCodes = sqliteTable(
  'recovery_codes',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.codeHash] })],
);

/**
 * Failed password and 2FA attempts per account, for the backoff that holds
 * across every location (the rate-limit bindings count per location). The key
 * is a keyed hash of the email for sign-ins, whether or not an account uses
 * it (so a known email answers like an unknown one), or `user:<id>` for a
 * signed-in user's password checks.
 */
export const signInFailures = sqliteTable(
  'sign_in_failures',
  {
    key: text('key').primaryKey(),
    failures: integer('failures').notNull(),
    /** Epoch milliseconds until which attempts are refused (429), or null. */
    blockedUntil: integer('blocked_until'),
    /** Epoch milliseconds of the last failure: rows idle for a day are swept. */
    updatedAt: integer('updated_at').notNull(),
  },
  // The daily sweep of stale rows.
  (t) => [index('sign_in_failures_updated_idx').on(t.updatedAt)],
);

/** Fixed-window counters (src/auth/budgets.ts): hourly write budgets per user and action, and the new-account mail window. */
export const writeBudgets = sqliteTable(
  'write_budgets',
  {
    key: text('key').primaryKey(),
    /** Epoch milliseconds the current window opened. */
    windowStart: integer('window_start').notNull(),
    used: integer('used').notNull(),
  },
  // The daily sweep of windows long closed.
  (t) => [index('write_budgets_window_idx').on(t.windowStart)],
);

/**
 * R2 objects whose rows are gone but whose deletion failed (a transient R2
 * error): the daily cron deletes them until none is left, so no photo of an
 * erased account or event outlives it.
 */
export const photoDeletions = sqliteTable('photo_deletions', {
  objectKey: text('object_key').primaryKey(),
  failedAt: text('failed_at').notNull(),
});

/**
 * Messages that failed every attempt of their queue's consumer and reached
 * a dead-letter queue (wrangler.toml `dead_letter_queue`): recorded by that
 * queue's consumer, listed to global admins (GET /api/admin/dead-letters).
 * What was to be done and for whom, never the message's content (a mail's
 * data may hold a temporary password). Keyed by the dead-letter message's
 * id: a redelivered one is recorded once.
 */
export const deadLetters = sqliteTable(
  'dead_letters',
  {
    id: text('id').primaryKey(),
    /** The queue whose consumer gave up (`cake-planner-mail`). */
    queue: text('queue').notNull(),
    /** A mail's template, `new_account_digest`, or `unknown`. */
    kind: text('kind').notNull(),
    /** A mail's address; null for what has none. */
    recipient: text('recipient'),
    /** When the message was first sent to its queue. */
    sentAt: text('sent_at').notNull(),
    recordedAt: createdAt(),
  },
  (t) => [index('dead_letters_recorded_idx').on(t.recordedAt, t.id)],
);

/** Bookkeeping of reminder mails so the daily cron never sends one twice. */
export const reminderLog = sqliteTable('reminder_log', {
  eventId: text('event_id')
    .primaryKey()
    .references(() => events.id, { onDelete: 'cascade' }),
  sentAt: createdAt(),
});

/**
 * A group's cake-day schedule (src/planning/): an RRULE subset over the
 * group's local dates, from `startDate` on (where the ledger starts
 * counting), minus the skip dates. No row, or a null rule: no schedule.
 */
export const schedules = sqliteTable('schedules', {
  groupId: text('group_id')
    .primaryKey()
    .references(() => groups.id, { onDelete: 'cascade' }),
  /** The rule as normalised by src/planning/rrule.ts, or null. */
  rule: text('rule'),
  startDate: text('start_date').notNull(),
  /** JSON array of `YYYY-MM-DD`, ascending (at most 200). */
  skipDates: text('skip_dates').notNull().default('[]'),
  leadDays: integer('lead_days').notNull().default(14),
  autoAssign: integer('auto_assign', { mode: 'boolean' }).notNull().default(false),
  updatedAt: text('updated_at').notNull().$defaultFn(now),
});

/** A member away from `fromDate` to `toDate` (both included), in one group or (null) every group. */
export const absences = sqliteTable(
  'absences',
  {
    id: id(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    groupId: text('group_id').references(() => groups.id, { onDelete: 'cascade' }),
    fromDate: text('from_date').notNull(),
    toDate: text('to_date').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    // A user's current and future absences, and "is this member away that day" per member.
    index('absences_user_to_idx').on(t.userId, t.toDate, t.fromDate),
    // Deleting a group cascades to its absences (FK).
    index('absences_group_idx').on(t.groupId),
    check('absences_dates_ordered', sql`${t.toDate} >= ${t.fromDate}`),
  ],
);

export const ASSIGNMENT_STATUSES = ['pending', 'accepted', 'declined', 'withdrawn'] as const;
export type AssignmentStatus = (typeof ASSIGNMENT_STATUSES)[number];

/**
 * A member asked to bake on a cake day (src/planning/assignments.ts). The
 * rules that must hold under concurrent requests are unique indexes, not
 * reads before writes: at most one pending or accepted assignment per group
 * and date, and nobody assigned the same date twice (a declined one stays;
 * a withdrawn one does not count). Answers are conditional updates of a
 * pending row, so exactly one of racing answers wins.
 */
export const assignments = sqliteTable(
  'assignments',
  {
    id: id(),
    groupId: text('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The group's local date of the cake day. */
    date: text('date').notNull(),
    status: text('status', { enum: ASSIGNMENT_STATUSES }).notNull().default('pending'),
    /** The cake an accept created; null before, and when that cake was deleted. */
    eventId: text('event_id').references(() => events.id, { onDelete: 'set null' }),
    /** Why it was declined or withdrawn, when someone said. */
    reason: text('reason'),
    createdAt: createdAt(),
    answeredAt: text('answered_at'),
    /** When the 48-hour reminder went out (at most one). */
    remindedAt: text('reminded_at'),
    /** When the day-before reminder went out to a still pending assignee. */
    eveRemindedAt: text('eve_reminded_at'),
  },
  (t) => [
    uniqueIndex('assignments_open_date_unique').on(t.groupId, t.date).where(sql`${t.status} in ('pending', 'accepted')`),
    uniqueIndex('assignments_member_date_unique').on(t.groupId, t.date, t.userId).where(sql`${t.status} <> 'withdrawn'`),
    // A group's assignments by date (cake days, a schedule change), and the cascade of a group's deletion.
    index('assignments_group_date_idx').on(t.groupId, t.date),
    // A member's open ones (rotation tie-break, an absence over them, "pending first").
    index('assignments_user_open_idx').on(t.userId, t.date).where(sql`${t.status} in ('pending', 'accepted')`),
    // A member's recent ones (GET /api/user/assignments), and the cascade of a user's deletion.
    index('assignments_user_created_idx').on(t.userId, t.createdAt),
    // The daily run: pending ones not reminded yet, oldest first; pending ones by date for the day-before reminder.
    index('assignments_unreminded_idx').on(t.createdAt).where(sql`${t.status} = 'pending' and ${t.remindedAt} is null`),
    index('assignments_pending_date_idx').on(t.date).where(sql`${t.status} = 'pending'`),
    // Deleting a cake clears the accepted assignment's link to it (FK), and ends that assignment (trigger).
    index('assignments_event_idx').on(t.eventId).where(sql`${t.eventId} is not null`),
    check('assignments_status_valid', sql`${t.status} in ('pending', 'accepted', 'declined', 'withdrawn')`),
  ],
);

/** Open, taken, withdrawn (src/events/handovers.ts); `expired` is never stored: an open offer whose date has come reads so. */
export const HANDOVER_STATUSES = ['open', 'taken', 'withdrawn'] as const;

/**
 * A baker's offer to hand an upcoming cake over to another member of the
 * group (src/events/handovers.ts). At most one open offer per event; it goes
 * with the event (FK) and ends by itself when the date comes.
 */
export const handovers = sqliteTable(
  'handovers',
  {
    id: id(),
    eventId: text('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    groupId: text('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    offeredBy: text('offered_by')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    message: text('message').notNull().default(''),
    status: text('status', { enum: HANDOVER_STATUSES }).notNull().default('open'),
    takenBy: text('taken_by').references(() => users.id, { onDelete: 'set null' }),
    /** The take that won, set by its own UPDATE: the event's baker changes in the same batch only where it holds that take's token. */
    takeToken: text('take_token'),
    createdAt: createdAt(),
  },
  (t) => [
    // One open offer per event: a second offer is refused by the index (409).
    uniqueIndex('handovers_open_event_unique').on(t.eventId).where(sql`${t.status} = 'open'`),
    // A group's open offers in creation order (GET /api/groups/{id}/handovers).
    index('handovers_group_open_idx').on(t.groupId, t.createdAt, t.id).where(sql`${t.status} = 'open'`),
    // Deleting a group cascades to its offers (FK), closed ones included.
    index('handovers_group_idx').on(t.groupId),
    // Deleting a user cascades to their offers and clears their takes (FK).
    index('handovers_offered_by_idx').on(t.offeredBy),
    index('handovers_taken_by_idx').on(t.takenBy),
    // Deleting an event cascades to its offers (FK), closed ones included.
    index('handovers_event_idx').on(t.eventId),
    check('handovers_status_valid', sql`${t.status} in ('open', 'taken', 'withdrawn')`),
  ],
);

export const SWAP_STATUSES = ['pending', 'accepted', 'declined', 'cancelled'] as const;

/**
 * A baker's request to exchange the dates of their upcoming cake and another
 * baker's in the same group (src/events/swaps.ts). It keeps both dates and
 * bakers as they were when asked: accepting applies only while both events
 * still have them.
 */
export const swapRequests = sqliteTable(
  'swap_requests',
  {
    id: id(),
    groupId: text('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    eventId: text('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    withEventId: text('with_event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    requestedBy: text('requested_by')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    eventDate: text('event_date').notNull(),
    withEventDate: text('with_event_date').notNull(),
    withBakerId: text('with_baker_id').notNull(),
    status: text('status', { enum: SWAP_STATUSES }).notNull().default('pending'),
    /** The acceptance that won, set by its own UPDATE: the dates change in the same batch only where it holds that token. */
    acceptToken: text('accept_token'),
    createdAt: createdAt(),
  },
  (t) => [
    // One pending request per pair of events.
    uniqueIndex('swap_requests_pending_pair_unique').on(t.eventId, t.withEventId).where(sql`${t.status} = 'pending'`),
    // Deleting an event or a user cascades to the requests (FK), and a change of an event
    // cancels its requests: both look them up by either event. The partial index above serves
    // neither (it holds only pending rows).
    index('swap_requests_event_idx').on(t.eventId),
    index('swap_requests_with_event_idx').on(t.withEventId),
    index('swap_requests_requested_by_idx').on(t.requestedBy),
    index('swap_requests_group_idx').on(t.groupId),
    check('swap_requests_status_valid', sql`${t.status} in ('pending', 'accepted', 'declined', 'cancelled')`),
  ],
);

export const CHANNEL_KINDS = ['slack', 'teams', 'discord', 'webhook'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];
export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'dead'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * A group's channel (src/channels/): a Slack, Teams or Discord webhook, or a
 * signed generic webhook. The URL (and the generic kind's signing secret) are
 * secrets: stored AES-GCM sealed, never returned whole.
 */
export const channels = sqliteTable(
  'channels',
  {
    id: id(),
    groupId: text('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: CHANNEL_KINDS }).notNull(),
    name: text('name').notNull(),
    /** The URL, sealed (src/channels/sealing.ts), bound to the channel's id. */
    urlSealed: text('url_sealed').notNull(),
    /** The masked URL the API shows (scheme, host, last 4 characters). */
    urlMasked: text('url_masked').notNull(),
    /** The generic kind's `whsec_` secret, sealed; null for the platforms. */
    secretSealed: text('secret_sealed'),
    /** JSON array of the event types the channel receives. */
    events: text('events').notNull(),
    enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
    disabledReason: text('disabled_reason'),
    /** Deliveries failed in a row (reset by a success): 20 disable the channel. */
    failureStreak: integer('failure_streak').notNull().default(0),
    lastDeliveryAt: text('last_delivery_at'),
    lastStatus: integer('last_status'),
    createdAt: createdAt(),
  },
  (t) => [
    index('channels_group_idx').on(t.groupId, t.createdAt, t.id),
    check('channels_kind_valid', sql`${t.kind} in ('slack', 'teams', 'discord', 'webhook')`),
  ],
);

/** One message to one channel and its attempts; the last 100 per channel are kept. */
export const channelDeliveries = sqliteTable(
  'channel_deliveries',
  {
    id: id(),
    channelId: text('channel_id')
      .notNull()
      .references(() => channels.id, { onDelete: 'cascade' }),
    /** The event type (`cake.created`, …). */
    event: text('event').notNull(),
    /** The request body as rendered once; every attempt sends it unchanged (a generic one re-signed). */
    body: text('body').notNull(),
    status: text('status', { enum: DELIVERY_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    createdAt: createdAt(),
    deliveredAt: text('delivered_at'),
  },
  (t) => [
    // A channel's log, newest first, and its keyset; the trim to the last 100.
    index('channel_deliveries_channel_idx').on(t.channelId, t.createdAt, t.id),
    check('channel_deliveries_status_valid', sql`${t.status} in ('pending', 'delivered', 'failed', 'dead')`),
  ],
);

/**
 * Channel messages that must go out once: `cake.tomorrow:<event>`,
 * `cake_day.open:<group>:<date>`, `hall_of_fame.weekly:<group>:<monday>`,
 * `cake.rated:<event>:<hour>`. Claimed by a conditional insert before the
 * deliveries are written; swept after a week.
 */
export const channelDispatches = sqliteTable(
  'channel_dispatches',
  {
    key: text('key').primaryKey(),
    /** The fan-out that claimed it: its deliveries are written only where their own run holds the claim. */
    run: text('run').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('channel_dispatches_created_idx').on(t.createdAt)],
);
