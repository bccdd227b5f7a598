// What the demo holds: two groups in different time zones, ten members, a
// month of cakes behind and a month ahead of the day the demo was first
// seeded (its anchor, so a later run plans exactly the same cakes), ratings
// with comments and photos. Pure data: scripts/seed/plant.mjs puts it in
// through the API.
import { random } from './images.mjs';

const EMAIL_DOMAIN = 'cake.localhost';

export const GROUPS = [
  {
    key: 'berlin',
    name: 'Kuchenclub Berlin',
    description: 'Dienstags und freitags bringt jemand Kuchen ins Büro an der Spree.',
    timeZone: 'Europe/Berlin',
    language: 'de',
    weekdays: [2, 5], // Tuesday, Friday
  },
  {
    key: 'newyork',
    name: 'Brooklyn Bake Club',
    description: 'Cake on Mondays and Thursdays in the Brooklyn studio.',
    timeZone: 'America/New_York',
    language: 'en',
    weekdays: [1, 4], // Monday, Thursday
  },
];

/** `admin` of a group (one), two groups for one member, two-factor for one, a dietary profile for two. */
export const MEMBERS = [
  { name: 'Lena Wagner', language: 'de', groups: ['berlin'], admin: 'berlin' },
  { name: 'Jonas Becker', language: 'de', groups: ['berlin'] },
  { name: 'Mia Schulz', language: 'de', groups: ['berlin'], twoFactor: true },
  { name: 'Felix Hoffmann', language: 'de', groups: ['berlin'], dietary: { avoids: ['nuts'], diet: null } },
  { name: 'Sophie Keller', language: 'en', groups: ['berlin', 'newyork'] },
  { name: 'Olivia Carter', language: 'en', groups: ['newyork'] },
  { name: 'Ethan Brooks', language: 'en', groups: ['newyork'], dietary: { avoids: [], diet: 'vegetarian' } },
  { name: 'Ava Martinez', language: 'en', groups: ['newyork'] },
  { name: 'Noah Kim', language: 'en', groups: ['newyork'] },
  { name: 'Grace Chen', language: 'en', groups: ['newyork'] },
].map((m) => ({ ...m, email: `${m.name.split(' ')[0].toLowerCase()}@${EMAIL_DOMAIN}` }));

/** Each recipe: its description, its colours, and how good it turns out (stars lean that way). */
const RECIPES = {
  de: [
    ['Schwarzwälder Kirschtorte mit Sauerkirschen und viel Sahne', '#6b3e26', '#fff4e6', '#c1121f', 4.8],
    ['Käsekuchen nach Omas Rezept, mit Mandarinen', '#f6e7b4', '#fff8dc', '#f4a261', 4.6],
    ['Apfelstrudel, warm, mit Vanillesoße', '#d4a373', '#faedcd', '#bc6c25', 4.2],
    ['Bienenstich mit Mandelkruste', '#e9c46a', '#fefae0', '#b08968', 4.5],
    ['Zwetschgendatschi vom Blech mit Streuseln', '#e0b48a', '#7b2d5b', '#4a1942', 3.9],
    ['Donauwelle mit Schokoladenguss', '#f1dca7', '#3d1f12', '#8c5a3c', 4.0],
    ['Frankfurter Kranz mit Krokant', '#f3d9a4', '#fff1d0', '#c9184a', 3.6],
    ['Rhabarberkuchen mit Baiserhaube', '#f2c6a0', '#ffffff', '#e5989b', 4.4],
    ['Marmorkuchen, saftig, mit Puderzucker', '#c8a27a', '#f8f4ec', '#5e3023', 3.4],
    ['Linzer Torte mit Johannisbeeren', '#b5835a', '#9d0208', '#6a040f', 4.1],
    ['Streuselkuchen mit Pudding', '#f4d58d', '#fff3c4', '#d4a373', 3.8],
    ['Sachertorte mit Marillenmarmelade', '#4a2c2a', '#2b1511', '#e85d04', 4.7],
    ['Eierlikörkuchen, vegan gibt es nächstes Mal', '#f7e08a', '#fffbe0', '#f9c74f', 3.2],
    ['Mohnkuchen mit Schmand', '#9a8c98', '#f2e9e4', '#4a4e69', 3.7],
    ['Erdbeertorte mit Tortenguss', '#f5d0a9', '#ff4d6d', '#c9184a', 4.3],
    ['Butterkuchen mit Mandeln', '#f0c987', '#fff0c2', '#c08552', 3.5],
    ['Nusszopf mit Zuckerguss', '#c08552', '#fff8f0', '#895737', 3.9],
  ],
  en: [
    ['New York cheesecake with a blueberry swirl', '#f6e7b4', '#fff8e7', '#3a0ca3', 4.9],
    ['Carrot cake with cream cheese frosting and walnuts', '#e07a3f', '#fff4e0', '#7f5539', 4.5],
    ['Lemon drizzle loaf', '#f9e27d', '#fffbe6', '#f9c74f', 4.0],
    ['Red velvet layer cake', '#b5172d', '#fff5f5', '#ffffff', 4.6],
    ['Banana bread with dark chocolate chunks', '#c9a26b', '#5c3d2e', '#3b2418', 3.8],
    ['Chocolate fudge brownies (gluten free)', '#4a2c2a', '#2b1511', '#d4a373', 4.3],
    ['Blueberry muffins, still warm', '#e9c79b', '#f0e6ff', '#4361ee', 3.6],
    ['Pumpkin pie with whipped cream', '#d9822b', '#fff7ea', '#9c6644', 3.9],
    ['Tiramisu, the real thing', '#d6b48c', '#f4ece1', '#5e3023', 4.7],
    ['Key lime pie with a graham crust', '#e9f5a1', '#ffffff', '#80b918', 4.2],
    ['Boston cream pie', '#f3d9a4', '#3d1f12', '#fff1d0', 3.7],
    ['Apple crumble bars', '#dda15e', '#fefae0', '#bc6c25', 3.5],
    ['Cinnamon rolls with maple glaze', '#d4a373', '#fff3e0', '#9c6644', 4.4],
    ['Pecan pie', '#8c5a3c', '#b07d48', '#5e3023', 4.0],
    ['Coconut layer cake', '#fdf6e3', '#ffffff', '#e9edc9', 3.3],
    ['Lemon meringue tart', '#f9e27d', '#ffffff', '#f4a261', 4.1],
    ['Strawberry shortcake', '#f5deb3', '#ff4d6d', '#ffffff', 3.8],
  ],
};

const COMMENTS = {
  de: {
    5: ['Ein Traum!', 'Bitte jede Woche.', 'Bester Kuchen des Jahres.', 'Das Rezept will ich haben!'],
    4: ['Sehr lecker, gerne wieder.', 'Schön saftig.', 'Hat dem ganzen Team geschmeckt.'],
    3: ['Ganz gut, etwas trocken.', 'Solide.', 'Mir etwas zu süß.'],
    2: ['Leider zu trocken.', 'Nicht ganz mein Fall.'],
    1: ['Da ging etwas schief.'],
  },
  en: {
    5: ['Incredible!', 'Best cake this year.', 'I need this recipe.', 'Gone in five minutes.'],
    4: ['Really good, would eat again.', 'Lovely and moist.', 'The whole team loved it.'],
    3: ['Pretty good, a bit dry.', 'Solid.', 'A little too sweet for me.'],
    2: ['Sadly too dry.', 'Not really my thing.'],
    1: ['Something went wrong there.'],
  },
};

const BACKDROPS = ['#8ecae6', '#ffe5ec', '#e9edc9', '#f1e3d3', '#cdb4db', '#bde0fe', '#fde4cf'];

const DAY = 86_400_000;
const addDays = (date, days) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
const weekday = (date) => new Date(`${date}T00:00:00Z`).getUTCDay();
const hash = (text) => [...text].reduce((h, ch) => (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0, 7);

/** A past month and a coming month around `anchor` (YYYY-MM-DD, the group's "today"). */
const WINDOW_DAYS = 30;

/** What the bakers state about their cakes, in turn. */
const DIETARY = [
  { allergens: ['gluten', 'eggs', 'milk'], suitableFor: ['vegetarian'] },
  { allergens: ['gluten', 'eggs', 'milk', 'nuts'], suitableFor: ['vegetarian'] },
  { allergens: null, suitableFor: [] },
  { allergens: ['gluten', 'soybeans'], suitableFor: ['vegetarian', 'vegan'] },
  { allergens: ['eggs', 'milk'], suitableFor: ['vegetarian'] },
];

/**
 * Every cake of a group: date, baker, description, colours, whether it has a
 * cover photo; for the days before the anchor also its ratings and gallery.
 */
export function cakesOf(group, anchor) {
  const members = MEMBERS.filter((m) => m.groups.includes(group.key));
  const recipes = RECIPES[group.language];
  const cakes = [];
  for (let offset = -WINDOW_DAYS; offset <= WINDOW_DAYS; offset++) {
    const date = addDays(anchor, offset);
    if (!group.weekdays.includes(weekday(date))) continue;
    const next = random(hash(`${group.key}:${date}`));
    const n = cakes.length;
    const [description, sponge, frosting, topping, quality] = recipes[n % recipes.length];
    const baker = members[n % members.length];
    const past = offset < 0;
    const others = members.filter((m) => m !== baker);
    const ratings = past
      ? others
          .filter(() => next() < 0.9)
          .map((m) => {
            const stars = Math.max(1, Math.min(5, Math.round(quality + (next() - 0.5) * 1.2)));
            const pool = COMMENTS[m.language][stars];
            return { by: m.email, stars, comment: next() < 0.6 ? pool[Math.floor(next() * pool.length)] : null };
          })
      : [];
    const gallery = past
      ? others
          .filter(() => next() < 0.35)
          .slice(0, 2)
          .map((m) => m.email)
      : [];
    cakes.push({
      date,
      baker: baker.email,
      description,
      colors: { sponge, frosting, topping, backdrop: BACKDROPS[hash(date) % BACKDROPS.length] },
      seed: hash(`${group.key}:${date}:photo`),
      // Most bakers state what is in the cake; some do not (null: not stated).
      ...DIETARY[n % DIETARY.length],
      // Upcoming bakers show a picture of what they plan about half of the time.
      cover: past || next() < 0.5,
      ratings,
      gallery,
    });
  }
  return cakes;
}

export const window = (anchor) => ({ start: addDays(anchor, -WINDOW_DAYS - 1), end: addDays(anchor, WINDOW_DAYS + 1) });
