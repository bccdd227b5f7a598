/**
 * What the original CakePlanner server (C++, SQLite, files on disk) stores,
 * as its current version writes it: the tables and columns the import reads,
 * and the schema itself (for test fixtures and the scale measurement).
 */

/** The columns the import reads, per table of the original. Others may exist and are ignored. */
export const ORIGINAL_COLUMNS = {
  users: [
    'id',
    'full_name',
    'email',
    'password_hash',
    'email_language',
    'totp_secret',
    'is_active',
    'is_admin',
    'must_change_password',
    'created_at',
  ],
  groups: ['id', 'name', 'description', 'created_at'],
  group_members: ['user_id', 'group_id', 'role', 'joined_at'],
  events: ['id', 'group_id', 'baker_id', 'event_date', 'description', 'photo_path', 'created_at'],
  ratings: ['event_id', 'rater_id', 'rating_value', 'comment', 'created_at'],
  event_photos: ['event_id', 'user_id', 'photo_path', 'uploaded_at'],
} as const;

export type OriginalTable = keyof typeof ORIGINAL_COLUMNS;
export const ORIGINAL_TABLES = Object.keys(ORIGINAL_COLUMNS) as OriginalTable[];

/** The order rows are read in: oldest first, so "the first one" means the same on every run. */
export const ORIGINAL_ORDER: Record<OriginalTable, string> = {
  users: 'created_at, id',
  groups: 'created_at, id',
  group_members: 'joined_at, group_id, user_id',
  events: 'created_at, id',
  ratings: 'event_id, rater_id',
  event_photos: 'event_id, user_id',
};

/** The original's default first admin (created on its first start, password `admin123` unless configured). */
export const DEFAULT_ADMIN = { email: 'admin@cakeplanner.local', password: 'admin123' } as const;

/**
 * The schema exactly as the original creates it (its `DatabaseManager::migrate`):
 * defaults, checks and foreign keys included, so fixtures hold what a real
 * database of that server can hold.
 */
export const ORIGINAL_SCHEMA = `
CREATE TABLE IF NOT EXISTS users (
  id TEXT PRIMARY KEY,
  full_name TEXT NOT NULL,
  email TEXT UNIQUE NOT NULL,
  password_hash TEXT NOT NULL,
  email_language TEXT DEFAULT 'en',
  totp_secret TEXT,
  is_active INTEGER DEFAULT 0,
  is_admin INTEGER DEFAULT 0,
  must_change_password INTEGER DEFAULT 0,
  created_at TEXT DEFAULT CURRENT_TIMESTAMP,
  updated_at TEXT DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE IF NOT EXISTS groups (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  description TEXT,
  created_at TEXT DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE IF NOT EXISTS group_members (
  user_id TEXT NOT NULL,
  group_id TEXT NOT NULL,
  role TEXT DEFAULT 'member',
  joined_at TEXT DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (user_id, group_id),
  FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE,
  FOREIGN KEY (group_id) REFERENCES groups(id) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS events (
  id TEXT PRIMARY KEY,
  group_id TEXT NOT NULL,
  baker_id TEXT NOT NULL,
  event_date TEXT NOT NULL,
  description TEXT,
  photo_path TEXT,
  created_at TEXT DEFAULT CURRENT_TIMESTAMP,
  FOREIGN KEY (group_id) REFERENCES groups(id) ON DELETE CASCADE,
  FOREIGN KEY (baker_id) REFERENCES users(id) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS ratings (
  id TEXT PRIMARY KEY,
  event_id TEXT NOT NULL,
  rater_id TEXT NOT NULL,
  rating_value INTEGER NOT NULL CHECK(rating_value >= 1 AND rating_value <= 5),
  comment TEXT,
  created_at TEXT DEFAULT CURRENT_TIMESTAMP,
  UNIQUE(event_id, rater_id),
  FOREIGN KEY (event_id) REFERENCES events(id) ON DELETE CASCADE,
  FOREIGN KEY (rater_id) REFERENCES users(id) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS event_photos (
  event_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  photo_path TEXT NOT NULL,
  uploaded_at TEXT DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (event_id, user_id),
  FOREIGN KEY (event_id) REFERENCES events(id) ON DELETE CASCADE,
  FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS idx_ratings_event_id ON ratings(event_id);
CREATE INDEX IF NOT EXISTS idx_event_photos_event_id ON event_photos(event_id);
CREATE INDEX IF NOT EXISTS idx_events_group_date ON events(group_id, event_date);
`;

/** The schema's statements one by one (D1's `exec` and `batch` want them apart). */
export const originalSchemaStatements = () =>
  ORIGINAL_SCHEMA.split(';')
    .map((s) => s.trim())
    .filter(Boolean);
