/**
 * Hall of Fame order: a Bayesian average that pulls every event's mean
 * towards a prior of PRIOR_WEIGHT virtual votes of PRIOR_MEAN stars, so one
 * 5-star vote does not beat twenty 4.9s. Read from the per-event aggregates
 * the rating triggers maintain (no scan of ratings), off the partial indexes
 * `events_hall_of_fame_idx` (all groups) and `events_group_hall_of_fame_idx`
 * (one group), whose leading expression is `scoreOf` exactly: SQLite uses an
 * expression index only for the same expression.
 */
import { desc, getTableColumns, type SQL, sql } from 'drizzle-orm';
import { events } from '../db/schema';
import { after, type KeyValue } from '../lib/pagination';

export const PRIOR_MEAN = 3;
export const PRIOR_WEIGHT = 5;

/** The score of the event row `sum`/`count` belong to (an alias inside subqueries). */
const scoreOf = (sum: SQL, count: SQL) =>
  sql`((${sum} + ${sql.raw(String(PRIOR_MEAN * PRIOR_WEIGHT))}) * 1.0 / (${count} + ${sql.raw(String(PRIOR_WEIGHT))}))`;

/** Any score is above this (one 1-star vote: 16/6): a range on the index's leading expression. */
const BELOW_EVERY_SCORE = 0;

/** The order's columns for the table named `t` (or the outer `events`). */
const orderColumns = (t?: string) => {
  const col = (name: string) => (t ? sql.raw(`${t}.${name}`) : sql.raw(`"events"."${name}"`));
  return [scoreOf(col('rating_sum'), col('rating_count')), col('rating_count'), col('date'), col('created_at'), col('id')];
};

export const hallOfFameOrder = orderColumns().map((c) => desc(c));

/** The cursor of a ranked page: the last row's score, rating count, date, creation time and id. */
export type RankKey = [number, number, string, string, string];
export const rankKeyOf = (row: {
  ratingSum: number;
  ratingCount: number;
  date: string;
  createdAt: string;
  id: string;
}): RankKey => [
  (row.ratingSum + PRIOR_MEAN * PRIOR_WEIGHT) / (row.ratingCount + PRIOR_WEIGHT),
  row.ratingCount,
  row.date,
  row.createdAt,
  row.id,
];

/**
 * Rated events (of table `t`), after the cursor if there is one. The plain
 * range on the score lets the index seek to the cursor; the row value then
 * orders ties exactly.
 */
export function rankedAfter(key: RankKey | undefined, t?: string): SQL {
  const columns = orderColumns(t);
  const rated = sql`${columns[1]} > 0`;
  if (!key) return sql`${rated} and ${columns[0]} > ${BELOW_EVERY_SCORE}`;
  return sql`${rated} and ${columns[0]} <= ${key[0]} and ${after(columns, key as KeyValue[], true)}`;
}

/** How many of a member's groups get an arm of their own in `bestOfViewerGroups`; any further ones share one. */
export const OWN_GROUP_ARMS = 4;

/**
 * A member's Hall of Fame over all own groups, as a page of `events` rows
 * (plus their `score`) in the Hall of Fame's order, for the outer statement
 * to read in place of the table (`EventQueryOptions.from`), so it builds
 * whole events (gallery, baker, own rating) for the page only.
 *
 * One arm per group of the member (the n-th by id), each read off the
 * per-group index in order, merged by a compound ORDER BY: SQLite merges
 * ordered arms without a sort and stops at the LIMIT, so the page costs
 * about one index entry per row it returns. (Each group's best `limit`
 * merged by a sort read every candidate three times and sorted them all.)
 * The arms' number is fixed when the statement is built, before the
 * member's groups are known: groups past the first OWN_GROUP_ARMS share a
 * last arm that takes the best `limit` of each and sorts them.
 */
export function bestOfViewerGroups(viewerId: string, key: RankKey | undefined, limit: number): SQL {
  const nthGroup = (n: number) =>
    sql`(select vm.group_id from memberships vm where vm.user_id = ${viewerId} order by vm.group_id limit 1 offset ${n})`;
  const row = (t: string) =>
    sql.raw(
      `${Object.values(getTableColumns(events))
        .map((c) => `${t}."${c.name}"`)
        .join(', ')}, `,
    );
  const arms = Array.from(
    { length: OWN_GROUP_ARMS },
    (_, n) => sql`select ${row('y')}${orderColumns('y')[0]} as score
    from events y where y.group_id = ${nthGroup(n)} and ${rankedAfter(key, 'y')}`,
  );
  const inner = orderColumns('y');
  arms.push(sql`select ${row('x')}${orderColumns('x')[0]} as score
    from memberships vm join events x on x.id in (
      select y.id from events y where y.group_id = vm.group_id and ${rankedAfter(key, 'y')}
      order by ${sql.join(
        inner.map((c) => sql`${c} desc`),
        sql`, `,
      )} limit ${limit}
    ) where vm.user_id = ${viewerId} and vm.group_id > ${nthGroup(OWN_GROUP_ARMS - 1)}`);
  // A compound's ORDER BY names its result columns.
  return sql`${sql.join(arms, sql` union all `)}
    order by score desc, rating_count desc, date desc, created_at desc, id desc limit ${limit}`;
}

/**
 * The order of `bestOfViewerGroups`' page, by its columns: the planner sees
 * that the page is in that order already and sorts nothing (by the score's
 * expression, it would sort the page again).
 */
export const rankedPageOrder = [sql`"events"."score"`, events.ratingCount, events.date, events.createdAt, events.id].map((c) =>
  desc(c),
);

export const RANKING_DESCRIPTION =
  `Ranked by a Bayesian average: (sum of stars + ${PRIOR_WEIGHT} × ${PRIOR_MEAN}) / (number of ratings + ${PRIOR_WEIGHT}), ` +
  `i.e. ${PRIOR_WEIGHT} virtual votes of ${PRIOR_MEAN} stars; ties by rating count, then newer date. ` +
  '`rating.average` in each item is the plain mean.';
