// The scale data set as SQL: 50 groups, 5,000 users, 100,000 events
// (2020–2027) and about 1,000,000 ratings per unit of `size` (size 10: many
// tenants of that size on one database), deterministic for a seed number,
// a size and a reference day. Shapes follow real use: members rate only past events
// of their own groups and never their own cake; a few users are in two
// groups; a handful are global admins; some events have covers and gallery
// photos; some users subscribed to the calendar feed.
export const SCALE = { groups: 50, users: 5_000, events: 100_000, ratings: 1_000_000 };

/** The counts at `size` times the base organisation. */
export const scaleOf = (size = 1) => Object.fromEntries(Object.entries(SCALE).map(([k, v]) => [k, v * size]));
export const SCALE_PASSWORD = 'Scale-Cake-Password-1';
const FIRST_YEAR = 2020;
const LAST_YEAR = 2027;
// D1 refuses statements over 100 KB.
const STATEMENT_BYTES = 90_000;

const TIME_ZONES = [
  'Europe/Berlin',
  'Europe/London',
  'America/New_York',
  'America/Los_Angeles',
  'America/Sao_Paulo',
  'Asia/Tokyo',
  'Asia/Kolkata',
  'Australia/Sydney',
  'Africa/Nairobi',
  'Pacific/Auckland',
];
const FIRST = [
  'Anna',
  'Ben',
  'Carla',
  'David',
  'Emma',
  'Felix',
  'Greta',
  'Hugo',
  'Ida',
  'Jonas',
  'Klara',
  'Luca',
  'Mia',
  'Noah',
  'Olivia',
  'Paul',
  'Rosa',
  'Sami',
  'Tara',
  'Umut',
  'Vera',
  'Wen',
  'Yara',
  'Zoe',
];
const LAST = [
  'Schmidt',
  'Müller',
  'Okafor',
  'Tanaka',
  'García',
  'Nguyen',
  'Kowalski',
  'Rossi',
  'Svensson',
  'Dubois',
  'Kaya',
  'Singh',
  'O’Brien',
  'Silva',
  'Novak',
  'Jensen',
];
const CAKES = [
  'Schwarzwälder Kirschtorte',
  'Käsekuchen nach Omas Rezept',
  'Apfelstrudel mit Vanillesoße',
  'Carrot cake',
  'Lemon drizzle',
  'Chocolate fudge cake, gluten free',
  'Bienenstich',
  'Victoria sponge',
  'Zwetschgendatschi',
  'Banana bread 🍌',
  'Frankfurter Kranz',
  'Tiramisu, no alcohol',
  '',
  '',
  '',
];
const COMMENTS = ['Lecker!', 'Wonderful, thank you!', 'A bit dry', 'Best one this year', 'Mehr davon 🎂', 'Too sweet for me'];

/** mulberry32: small, fast, good enough for test data, and the same on every machine. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const q = (s) => (s === null ? 'NULL' : `'${String(s).replaceAll("'", "''")}'`);
const pad = (n, w) => String(n).padStart(w, '0');
const DAY = 86_400_000;
const dateOf = (ms) => new Date(ms).toISOString().slice(0, 10);

/**
 * Yields { table, rows, sql } chunks of multi-row INSERTs, in an order the
 * foreign keys accept. `passwordHash` is one Argon2id PHC string all users share.
 */
export function* scaleData({ seed = 1, today, passwordHash, size = 1 }) {
  const SCALE = scaleOf(size);
  const random = rng(seed);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const uuid = () => {
    const h = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
    h[12] = '4';
    h[16] = ((parseInt(h[16], 16) & 3) | 8).toString(16);
    return `${h.slice(0, 8).join('')}-${h.slice(8, 12).join('')}-${h.slice(12, 16).join('')}-${h.slice(16, 20).join('')}-${h.slice(20).join('')}`;
  };
  const hex = (n) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
  const created = Date.UTC(FIRST_YEAR - 1, 11, 1);

  function* inserts(table, columns, rows) {
    const head = `INSERT INTO ${table} (${columns.join(', ')}) VALUES\n`;
    let values = [];
    let size = head.length;
    const statement = () => ({ table, rows: values.length, sql: `${head}${values.join(',\n')};\n` });
    for (const row of rows) {
      const value = `(${row.map(q).join(', ')})`;
      if (size + value.length + 2 > STATEMENT_BYTES) {
        yield statement();
        values = [];
        size = head.length;
      }
      values.push(value);
      size += Buffer.byteLength(value) + 2;
    }
    if (values.length) yield statement();
  }

  const groups = Array.from({ length: SCALE.groups }, (_, i) => ({
    id: uuid(),
    name: `Scale Group ${pad(i + 1, String(SCALE.groups).length)}`,
    timeZone: TIME_ZONES[i % TIME_ZONES.length],
    members: [],
  }));
  yield* inserts(
    'groups',
    ['id', 'name', 'description', 'time_zone', 'created_at'],
    groups.map((g) => [g.id, g.name, `Cake club ${g.name.slice(-2)}`, g.timeZone, new Date(created).toISOString()]),
  );

  const users = Array.from({ length: SCALE.users }, (_, i) => {
    const group = groups[i % SCALE.groups];
    const user = { id: uuid(), index: i, groups: [group] };
    group.members.push(user);
    // About one in twenty also belongs to a second group.
    if (random() < 0.05) {
      const other = groups[((i % SCALE.groups) + 1 + Math.floor(random() * (SCALE.groups - 1))) % SCALE.groups];
      user.groups.push(other);
      other.members.push(user);
    }
    return user;
  });
  yield* inserts(
    'users',
    [
      'id',
      'name',
      'email',
      'password_hash',
      'is_admin',
      'is_active',
      'language',
      'email_language',
      'primary_group_id',
      'calendar_token_hash',
      'created_at',
    ],
    users.map((u) => {
      const language = random() < 0.5 ? 'de' : 'en';
      return [
        u.id,
        `${pick(FIRST)} ${pick(LAST)}`,
        scaleEmail(u.index),
        passwordHash,
        u.index < 5 ? 1 : 0, // a handful of global admins
        u.index % 97 === 96 ? 0 : 1, // about one in a hundred is inactive
        language,
        language,
        u.groups[0].id,
        random() < 0.3 ? hex(64) : null, // subscribed calendars (tokens nobody holds)
        new Date(created + u.index * 60_000).toISOString(),
      ];
    }),
  );
  yield* inserts(
    'memberships',
    ['user_id', 'group_id', 'role', 'created_at'],
    users.flatMap((u) =>
      // The first two users of each group (by primary group) administer it.
      u.groups.map((g, k) => [
        u.id,
        g.id,
        k === 0 && u.index < 2 * SCALE.groups ? 'admin' : 'member',
        new Date(created + k).toISOString(),
      ]),
    ),
  );

  const firstDay = Date.UTC(FIRST_YEAR, 0, 1);
  const days = Math.round((Date.UTC(LAST_YEAR + 1, 0, 1) - firstDay) / DAY);
  const events = Array.from({ length: SCALE.events }, (_, i) => {
    const group = groups[i % SCALE.groups];
    const dayMs = firstDay + Math.floor(random() * days) * DAY;
    const baker = pick(group.members);
    return {
      id: uuid(),
      group,
      baker,
      date: dateOf(dayMs),
      createdAt: new Date(dayMs - Math.floor(random() * 30 * DAY) - Math.floor(random() * DAY)).toISOString(),
      quality: random(),
    };
  });
  yield* inserts(
    'events',
    ['id', 'group_id', 'baker_id', 'date', 'description', 'cover_photo_key', 'created_at'],
    events.map((e) => [
      e.id,
      e.group.id,
      e.baker.id,
      e.date,
      pick(CAKES),
      random() < 0.1 ? `events/${e.id}/${hex(32)}-jpg.jpg` : null,
      e.createdAt,
    ]),
  );

  // Ratings: only past events, by members of the event's group other than the baker.
  // Generated as they are written (ten million at size 10 do not fit one array).
  const past = events.filter((e) => e.date < today);
  const perEvent = SCALE.ratings / past.length;
  const photos = [];
  function* ratings() {
    for (const e of past) {
      const members = e.group.members;
      const want = Math.min(members.length - 1, Math.round(perEvent * (0.5 + random())));
      const start = Math.floor(random() * members.length);
      const at = new Date(Date.parse(`${e.date}T12:00:00.000Z`) + Math.floor(random() * 3 * DAY)).toISOString();
      for (let k = 0, taken = 0; taken < want && k < members.length; k++) {
        const rater = members[(start + k) % members.length];
        if (rater === e.baker) continue;
        taken++;
        // Good cakes get good votes: the event's quality shifts every vote.
        const stars = Math.max(1, Math.min(5, Math.round(1 + e.quality * 3 + random() * 2 - 0.5)));
        yield [e.id, rater.id, stars, random() < 0.15 ? pick(COMMENTS) : null, at, at];
        if (taken <= 2 && random() < 0.02) photos.push([e.id, rater.id, `events/${e.id}/${hex(32)}-webp.webp`, 'image/webp', at]);
      }
    }
  }
  yield* inserts('ratings', ['event_id', 'user_id', 'stars', 'comment', 'created_at', 'updated_at'], ratings());
  yield* inserts('event_photos', ['event_id', 'user_id', 'object_key', 'content_type', 'created_at'], photos);
}

export const scaleEmail = (index) => `scale-user-${pad(index + 1, 4)}@scale.test`;

/** Logins for people and the benchmark: a plain member, a group admin, a global admin. */
export const scaleLogins = (size = 1) => {
  const groups = SCALE.groups * size;
  return {
    globalAdmin: scaleEmail(0),
    groupAdmin: scaleEmail(groups + 7), // an admin of Scale Group 8
    member: scaleEmail(3 * groups + 11), // a plain member of Scale Group 12
  };
};
export const SCALE_LOGINS = scaleLogins(1);
