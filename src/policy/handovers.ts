/**
 * Hand-overs and swaps (src/events/handovers.ts, src/events/swaps.ts): who
 * offers, takes, withdraws, asks and answers. The dates ("while upcoming")
 * and the states are judged by the handlers (409); these are the people.
 */
import type { Caller } from '../auth/caller';
import { canManageGroup } from './groups';
import { isMemberOf } from './roles';

/** A group's offers are listed to its members and to global admins (anyone else: 404, as for an unknown group). */
export const canSeeGroupHandovers = (caller: Caller, groupId: string) => caller.isAdmin || isMemberOf(caller, groupId);

/** Only the event's baker offers it (or asks to swap it). */
export const isBakerOf = (caller: Caller, event: { bakerId: string | null }) => event.bakerId === caller.id;

/** A member of the group takes an offer (the offerer themself is refused separately: 409). */
export const canTakeHandover = (caller: Caller, handover: { groupId: string }) => isMemberOf(caller, handover.groupId);

/** The offerer, an admin of the group or a global admin withdraws an offer. */
export const canWithdrawHandover = (caller: Caller, handover: { groupId: string; offeredById: string }) =>
  handover.offeredById === caller.id || canManageGroup(caller, handover.groupId);
