/**
 * Reading live streams in tests: SSE blocks (split on blank lines) with a
 * timeout on every read, so a missing message fails fast instead of hanging.
 */
import { runInDurableObject } from 'cloudflare:test';
import { afterEach, expect } from 'vitest';
import { decodeCursor } from '../../src/live/cursor';
import type { GroupHub } from '../../src/live/group-hub';
import type { LiveMessage } from '../../src/live/publish';
import { call } from './api';

export interface StreamOptions {
  token?: string;
  ticket?: string;
  lastEventId?: string;
  query?: Record<string, string>;
}

export async function openStream(options: StreamOptions = {}): Promise<Response> {
  const query = new URLSearchParams(options.query);
  if (options.ticket) query.set('ticket', options.ticket);
  const headers: Record<string, string> = {};
  if (options.lastEventId) headers['Last-Event-ID'] = options.lastEventId;
  const qs = query.size ? `?${query}` : '';
  return call('GET', `/api/events/stream${qs}`, { token: options.token, headers });
}

export interface Delivery {
  data: any;
  raw: string;
  id: string;
}

export class SseClient {
  /** Everything received so far, byte for byte (as text). */
  text = '';
  lastId: string | null = null;
  private buffer = '';
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly decoder = new TextDecoder();
  private pendingRead: Promise<ReadableStreamReadResult<Uint8Array>> | null = null;
  ended = false;

  constructor(readonly response: Response) {
    expect(response.status).toBe(200);
    this.reader = response.body!.getReader();
  }

  static async open(options: StreamOptions): Promise<SseClient> {
    const client = new SseClient(await openStream(options));
    await client.ready();
    return client;
  }

  /** The next block without its trailing blank line, or null on timeout / end of stream. */
  async block(timeoutMs = 3000): Promise<string | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = this.buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        if (block.startsWith('id: ')) this.lastId = block.slice(4);
        return block;
      }
      if (this.ended) return null;
      const remaining = deadline - Date.now();
      if (remaining <= 0) return null;
      this.pendingRead ??= this.reader.read();
      const result = await Promise.race([
        this.pendingRead,
        new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), remaining)),
      ]);
      if (result === 'timeout') return null;
      this.pendingRead = null;
      if (result.done) {
        this.ended = true;
        continue;
      }
      const chunk = this.decoder.decode(result.value, { stream: true });
      this.text += chunk;
      this.buffer += chunk;
    }
  }

  /** Waits for `retry:` and the first id block: from then on the stream is subscribed to its hubs. */
  async ready(): Promise<void> {
    expect(await this.block()).toMatch(/^retry: \d+$/);
    expect(await this.block()).toMatch(/^id: [A-Za-z0-9_-]+$/);
  }

  /** The next message (a data block and the id block right after it), skipping pings. */
  async message(timeoutMs = 3000): Promise<Delivery | null> {
    let block: string | null;
    do block = await this.block(timeoutMs);
    while (block === ': ping');
    if (block === null) return null;
    expect(block.startsWith('data: '), block).toBe(true);
    const idBlock = await this.block(timeoutMs);
    expect(idBlock).toMatch(/^id: [A-Za-z0-9_-]+$/);
    return { data: JSON.parse(block.slice(6)), raw: block, id: idBlock!.slice(4) };
  }

  async messages(count: number, timeoutMs = 3000): Promise<Delivery[]> {
    const out: Delivery[] = [];
    for (let i = 0; i < count; i++) {
      const m = await this.message(timeoutMs);
      expect(m, `message ${i + 1} of ${count}`).not.toBeNull();
      out.push(m!);
    }
    return out;
  }

  /** Asserts nothing but pings arrives for `ms`. */
  async expectSilence(ms = 400): Promise<void> {
    const deadline = Date.now() + ms;
    for (;;) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) return;
      const block = await this.block(remaining);
      if (block === null) return;
      expect(block).toBe(': ping');
    }
  }

  cursor() {
    return decodeCursor(this.lastId);
  }

  async close(): Promise<void> {
    await this.reader.cancel().catch(() => {});
  }
}

/**
 * The list of a file's open streams: whatever a test puts in it is closed
 * after that test (registers the afterEach hook; call it once, at the top).
 */
export function closedAfterEach(): SseClient[] {
  const open: SseClient[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close()));
  });
  return open;
}

/** Waits until `check` holds (polled every 20 ms), failing after `timeoutMs`. */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A rating message for a group, as the events API would publish it. */
export const rated = (groupId: string, count: number): LiveMessage => ({
  type: 'EVENT_RATED',
  groupId,
  eventId: crypto.randomUUID(),
  average: 4,
  count,
});

/** How many streams are subscribed to a group's hub (read inside the Durable Object, not through an RPC method of its own). */
export const hubSubscribers = (hub: DurableObjectStub<GroupHub>): Promise<number> =>
  runInDurableObject(hub, (_: GroupHub, state) => state.getWebSockets().length);
