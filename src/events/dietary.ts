/**
 * Dietary information: what a cake contains (the EU's 14 allergen groups)
 * and whom it suits (vegetarian, vegan), and what a user avoids.
 *
 * Both are stored as bit sets (bit i = the i-th entry of ALLERGENS or
 * DIETS), so that whether a cake suits the caller is computed inside the
 * list's one statement with two bitwise tests, and the needs of a group are
 * one aggregate over its members, without JSON parsing in SQL.
 *
 * A user's avoidances and diet are health data: only their owner reads
 * them (their own User object); others see only `suitsMe` (their own) and,
 * for the baker and admins, counts without names (`dietaryNeeds`).
 */
import { z } from '@hono/zod-openapi';
import { and, eq, isNull, notExists, or, type SQL, sql } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Database } from '../db/client';
import { absences, DIETS, type Language, memberships, users } from '../db/schema';

/** The EU's 14 allergen groups (Regulation (EU) No 1169/2011, Annex II), in the contract's order. */
const ALLERGENS = [
  'gluten',
  'crustaceans',
  'eggs',
  'fish',
  'peanuts',
  'soybeans',
  'milk',
  'nuts',
  'celery',
  'mustard',
  'sesame',
  'sulphites',
  'lupin',
  'molluscs',
] as const;
export type Allergen = (typeof ALLERGENS)[number];

/** The allergen groups' names per language, in ALLERGENS' order. */
export const ALLERGEN_NAMES: Record<Language, readonly string[]> = {
  en: ALLERGENS,
  de: [
    'Gluten',
    'Krebstiere',
    'Eier',
    'Fisch',
    'Erdnüsse',
    'Soja',
    'Milch',
    'Schalenfrüchte',
    'Sellerie',
    'Senf',
    'Sesam',
    'Sulfite',
    'Lupinen',
    'Weichtiere',
  ],
};

/** The counts of `dietaryNeeds` as one sentence for the baker's reminder; null when nobody has any. */
export function needsSentence(needs: DietaryNeeds, language: Language): string | null {
  const names = ALLERGEN_NAMES[language];
  const avoids = ALLERGENS.flatMap((a, i) => (needs.avoids[a] ? [`${names[i]} ${needs.avoids[a]}`] : []));
  const diets = [
    needs.vegetarian ? `${language === 'de' ? 'vegetarisch' : 'vegetarian'} ${needs.vegetarian}` : null,
    needs.vegan ? `vegan ${needs.vegan}` : null,
  ].filter((d): d is string => d !== null);
  if (avoids.length === 0 && diets.length === 0) return null;
  const parts = [
    avoids.length ? `${language === 'de' ? 'meiden' : 'avoid'}: ${avoids.join(', ')}` : null,
    diets.length ? diets.join(', ') : null,
  ].filter(Boolean);
  return language === 'de'
    ? `Wer morgen da ist (ohne Namen): ${parts.join('; ')}.`
    : `Who is there tomorrow (no names): ${parts.join('; ')}.`;
}

export type Diet = (typeof DIETS)[number];

/** The bit set of a list of names out of `names`. */
const bitsOf = <T extends string>(names: readonly T[], list: readonly T[]): number =>
  list.reduce((bits, name) => bits | (1 << names.indexOf(name)), 0);

/** The names of a bit set, in `names`' order. */
const namesOf = <T extends string>(names: readonly T[], bits: number): T[] => names.filter((_, i) => (bits >> i) & 1);

/** The diets that suit someone of `diet`: a vegetarian eats vegetarian or vegan cake. */
const SUITS: Record<Diet, number> = { vegetarian: bitsOf(DIETS, ['vegetarian', 'vegan']), vegan: bitsOf(DIETS, ['vegan']) };

const unique = (list: readonly string[]) => new Set(list).size === list.length;

export const AllergenField = z.enum(ALLERGENS).openapi({ description: "One of the EU's 14 allergen groups" });

/** A list of allergen groups, each at most once: what a cake contains, what a user avoids. */
const AllergenList = z
  .array(AllergenField)
  .max(ALLERGENS.length, `At most ${ALLERGENS.length} allergens`)
  .refine(unique, 'Each allergen at most once');

export const AllergensField = AllergenList.nullish().openapi({
  description: "What the cake contains, of the EU's 14 allergen groups: null = not stated, [] = none of them",
  example: ['gluten', 'eggs', 'milk'],
});

export const SuitableForField = z
  .array(z.enum(DIETS))
  .max(DIETS.length, `At most ${DIETS.length} entries`)
  .refine(unique, 'Each diet at most once')
  .openapi({ description: 'Diets the cake suits; [] = not stated', example: ['vegetarian'] });

export const DietaryProfileSchema = z
  .object({
    avoids: AllergenList,
    diet: z.enum(DIETS).nullable(),
  })
  .openapi('DietaryProfile', { description: 'What the user avoids and their diet. Health data: only the user sees it.' });
export type DietaryProfile = z.infer<typeof DietaryProfileSchema>;

export const DietaryNeedsSchema = z
  .object({
    avoids: z.record(z.string(), z.number().int()).openapi({
      description: 'Per allergen, how many members avoid it (only allergens someone avoids)',
      example: { nuts: 2 },
    }),
    vegetarian: z.number().int().openapi({ description: 'Vegetarians (not vegans)' }),
    vegan: z.number().int(),
  })
  .openapi('DietaryNeeds', {
    description:
      "Counts over the group's members not away on the event's date, the baker included; never names. " +
      "Only for the baker, the group's admins and global admins, on upcoming events.",
  });
export type DietaryNeeds = z.infer<typeof DietaryNeedsSchema>;

/** The stored form of a profile (its two columns). */
export const profileColumns = (profile: DietaryProfile) => ({
  dietaryAvoids: bitsOf(ALLERGENS, profile.avoids),
  diet: profile.diet,
});

export const profileOf = (row: { dietaryAvoids: number; diet: Diet | null }): DietaryProfile => ({
  avoids: namesOf(ALLERGENS, row.dietaryAvoids),
  diet: row.diet,
});

/** A cake's stored dietary columns from the request's lists (absent `allergens` = not stated). */
export const cakeColumns = (fields: { allergens?: Allergen[] | null; suitableFor?: Diet[] }) => ({
  allergens: fields.allergens == null ? null : bitsOf(ALLERGENS, fields.allergens),
  suitableFor: bitsOf(DIETS, fields.suitableFor ?? []),
});

/** The CakeEvent's dietary fields from the stored columns and the statement's `suitsMe`. */
export const cakeDietaryView = (row: { allergens: number | null; suitableFor: number; suitsMe: number | null }) => ({
  allergens: row.allergens === null ? null : namesOf(ALLERGENS, row.allergens),
  suitableFor: namesOf(DIETS, row.suitableFor),
  suitsMe: row.suitsMe === null ? null : row.suitsMe === 1,
});

/**
 * Whether a cake suits the viewer, in SQL (1, 0 or NULL), as the contract
 * defines it: 0 when a stated allergen is one they avoid or their diet is
 * not among a stated `suitableFor`; NULL when they have needs the baker
 * stated nothing about; else 1. 0 wins over NULL. The viewer's row is read
 * once per statement (an uncorrelated subquery), not per cake.
 */
export function suitsViewer(viewerId: string, allergens: SQLiteColumn, suitableFor: SQLiteColumn): SQL<number | null> {
  const avoids = sql`coalesce((select du.dietary_avoids from users du where du.id = ${viewerId}), 0)`;
  const suits = sql`(select case du.diet when 'vegan' then ${SUITS.vegan} when 'vegetarian' then ${SUITS.vegetarian} else 0 end
    from users du where du.id = ${viewerId})`;
  return sql<number | null>`case
    when ${allergens} is not null and (${allergens} & ${avoids}) <> 0 then 0
    when ${suits} <> 0 and ${suitableFor} <> 0 and (${suitableFor} & ${suits}) = 0 then 0
    when (${allergens} is null and ${avoids} <> 0) or (${suits} <> 0 and ${suitableFor} = 0) then null
    else 1 end`;
}

/**
 * The needs of the members of an event's group not away on its date (the
 * baker included): one aggregate over the group's memberships
 * (`memberships_group_idx`), each member's row by key and one probe for an
 * absence that day. `guard` (the SQL twin of `canSeeDietaryNeeds`) is
 * constant in the statement: for anyone else it reads no member.
 */
export function dietaryNeedsQuery(db: Database, eventId: string, guard: SQL) {
  const groupId = sql`(select ne.group_id from events ne where ne.id = ${eventId})`;
  const date = sql`(select ne.date from events ne where ne.id = ${eventId})`;
  const bit = (i: number) => sql<number>`coalesce(sum((${users.dietaryAvoids} >> ${sql.raw(String(i))}) & 1), 0)`;
  return db
    .select({
      avoids: sql<string>`json_array(${sql.join(
        ALLERGENS.map((_, i) => bit(i)),
        sql`, `,
      )})`,
      vegetarian: sql<number>`coalesce(sum(${users.diet} = 'vegetarian'), 0)`,
      vegan: sql<number>`coalesce(sum(${users.diet} = 'vegan'), 0)`,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        guard,
        sql`${memberships.groupId} = ${groupId}`,
        notExists(
          db
            .select({ one: sql`1` })
            .from(absences)
            .where(
              and(
                eq(absences.userId, memberships.userId),
                sql`${absences.toDate} >= ${date}`,
                sql`${absences.fromDate} <= ${date}`,
                or(isNull(absences.groupId), sql`${absences.groupId} = ${groupId}`),
              ),
            ),
        ),
      ),
    );
}

export function toDietaryNeeds(row: { avoids: string; vegetarian: number; vegan: number }): DietaryNeeds {
  const counts = JSON.parse(row.avoids) as number[];
  const avoids: Record<string, number> = {};
  ALLERGENS.forEach((name, i) => {
    if (counts[i]! > 0) avoids[name] = counts[i]!;
  });
  return { avoids, vegetarian: row.vegetarian, vegan: row.vegan };
}
