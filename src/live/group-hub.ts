/**
 * GroupHub: one Durable Object per group, fanning its messages out to the
 * group's live streams.
 */
import { DurableObject } from 'cloudflare:workers';
import type { Bindings } from '../env';
import type { LiveMessage } from './publish';

export class GroupHub extends DurableObject<Bindings> {
  async publish(_message: LiveMessage): Promise<void> {
    // Delivery lands with the live-updates work.
  }
}
