/**
 * Hall of Fame order: a Bayesian average that pulls every event's mean
 * towards a prior of PRIOR_WEIGHT virtual votes of PRIOR_MEAN stars, so one
 * 5-star vote does not beat twenty 4.9s. Read from the per-event aggregates
 * the rating triggers maintain (no scan of ratings).
 */
import { desc, sql } from 'drizzle-orm';
import { events } from '../db/schema';

export const PRIOR_MEAN = 3;
export const PRIOR_WEIGHT = 5;

export const bayesianScore = sql`((${events.ratingSum} + ${sql.raw(String(PRIOR_MEAN * PRIOR_WEIGHT))}) * 1.0 / (${events.ratingCount} + ${sql.raw(String(PRIOR_WEIGHT))}))`;

export const hallOfFameOrder = [
  desc(bayesianScore),
  desc(events.ratingCount),
  desc(events.date),
  desc(events.createdAt),
  desc(events.id),
];

export const RANKING_DESCRIPTION =
  `Ranked by a Bayesian average: (sum of stars + ${PRIOR_WEIGHT} × ${PRIOR_MEAN}) / (number of ratings + ${PRIOR_WEIGHT}), ` +
  `i.e. ${PRIOR_WEIGHT} virtual votes of ${PRIOR_MEAN} stars; ties by rating count, then newer date. ` +
  '`rating.average` in each item is the plain mean.';
