/**
 * Every "who may" rule of the API, each JS predicate beside its SQL twin:
 * roles.ts (member, group admin, global admin, and the two-branch list
 * guards), events.ts (visibility, create, delete, rate, photos), users.ts
 * (managed users, emails, the last global admin), groups.ts (managed groups,
 * removing members), assignments.ts (who sees, answers, assigns and
 * withdraws an assignment), handovers.ts (hand-overs and swaps), channels.ts (who manages a group's channels).
 * Handlers ask here and throw what the answer implies;
 * routes declare their admin rule as `authenticate({ admits })`. The rules
 * are tested in test/policy.test.ts and, through HTTP, per route.
 *
 * Convention: a rule returns true/false, a `require…` rule throws 403.
 * "Authorization before existence": routes a caller may not use at all are
 * refused with 403 before any lookup.
 */
export * from './assignments';
export * from './channels';
export * from './events';
export * from './groups';
export * from './handovers';
export * from './roles';
export * from './users';
