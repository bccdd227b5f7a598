/**
 * The Worker side of one client's live stream: it holds the client's SSE
 * response and one WebSocket per group to that group's hub. The ping timer
 * lives here, so hubs keep no timers and can hibernate.
 *
 * Opening: subscribe to every hub first, then ask each for what the client
 * missed since its cursor; live frames that arrive meanwhile wait and are
 * de-duplicated by sequence number, so nothing is lost or doubled.
 *
 * Membership is checked by each hub before it sends (one D1 query per
 * message for the whole group): a hub closes the socket of a user who left
 * the group (the stream carries on with its other groups, and ends once none
 * is left) or whose session was revoked (the stream ends). A hub also ends
 * the oldest streams of a user who opened more than MAX_STREAMS_PER_USER on
 * it (TOO_MANY_STREAMS): like any other end, the client may reconnect.
 */
import { callerQuery, toCaller } from '../auth/caller';
import { createDb } from '../db/client';
import type { Bindings } from '../env';
import { logError } from '../lib/log';
import { type Cursor, encodeCursor } from './cursor';
import { type HubFrame, NOT_A_MEMBER } from './group-hub';
import { dataFrame, idFrame, PING_INTERVAL_MS, pingFrame, retryFrame } from './sse';

/**
 * A client that lets this much live traffic pile up unread is treated as gone.
 * The replay at opening does not count: it is written in one go, however much
 * was missed, and a client is not slow for not having read it yet.
 */
const MAX_UNREAD_BYTES = 1024 * 1024;
const HIGH_WATER_MARK = 64 * 1024;

export interface StreamSubject {
  userId: string;
  /** The token version the stream was opened with: a later revocation ends it. */
  tokenVersion: number;
  groupIds: string[];
  /** Epoch ms each group was joined: a replay holds nothing older (what was said before the user came is not theirs). */
  joinedAt: Record<string, number>;
}

/**
 * How often an open stream re-reads its session (one indexed read): a
 * revoked session ends its streams within this, even on hubs that publish
 * nothing. The `LIVE_SESSION_CHECK_MS` variable shortens it for tests.
 */
const SESSION_CHECK_MS = 45_000;

interface Pending {
  groupId: string;
  frame: HubFrame;
}

/**
 * A client that disconnects is noticed at once through `disconnected` (the
 * request's signal, which the `enable_request_signal` compatibility flag makes
 * fire on a client disconnect), and otherwise by the next write that fails (a
 * ping at the latest).
 */
export function openLiveStream(
  env: Bindings,
  subject: StreamSubject,
  resume: Cursor,
  disconnected?: AbortSignal,
): ReadableStream<Uint8Array> {
  let session: LiveStream;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        session = new LiveStream(env, subject, resume, controller);
        disconnected?.addEventListener('abort', () => session.close(), { once: true });
        session.start();
      },
      cancel() {
        session.close();
      },
    },
    { highWaterMark: HIGH_WATER_MARK, size: (chunk) => chunk.byteLength },
  );
}

class LiveStream {
  private readonly sockets = new Map<string, WebSocket>();
  private readonly cursor: Cursor = {};
  private pending: Pending[] = [];
  private opening = true;
  private closed = false;
  private lastId: string | null = null;
  private ping: number | null = null;
  private sessionCheck: number | null = null;
  /** Bytes enqueued so far, and how many of them were the opening (retry, replay): see `write`. */
  private written = 0;
  private openingBytes = Infinity;

  constructor(
    private readonly env: Bindings,
    private readonly subject: StreamSubject,
    private readonly resume: Cursor,
    private readonly controller: ReadableStreamDefaultController<Uint8Array>,
  ) {}

  start(): void {
    this.write(retryFrame());
    this.ping = setInterval(() => this.write(pingFrame()), PING_INTERVAL_MS);
    const every = Number(this.env.LIVE_SESSION_CHECK_MS) || SESSION_CHECK_MS;
    this.sessionCheck = setInterval(() => void this.checkSession(), every);
    this.open().catch((error) => {
      logError('live stream could not subscribe', error);
      this.close();
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.ping !== null) clearInterval(this.ping);
    if (this.sessionCheck !== null) clearInterval(this.sessionCheck);
    this.pending = [];
    for (const socket of this.sockets.values()) closeQuietly(socket);
    this.sockets.clear();
    try {
      this.controller.close();
    } catch {
      /* already cancelled by the client */
    }
  }

  private async open(): Promise<void> {
    const { groupIds } = this.subject;
    await Promise.all(groupIds.map((groupId) => this.subscribe(groupId)));
    const histories = await Promise.all(
      groupIds.map((groupId) => this.hub(groupId).history(this.resume[groupId] ?? null, this.subject.joinedAt[groupId] ?? 0)),
    );
    if (this.closed) return;

    groupIds.forEach((groupId, i) => {
      this.cursor[groupId] = this.resume[groupId] ?? histories[i]!.head;
    });
    groupIds.forEach((groupId, i) => {
      for (const frame of histories[i]!.frames) this.deliver(groupId, frame);
      this.cursor[groupId] = histories[i]!.head;
    });
    this.writeId();
    this.opening = false;
    this.openingBytes = this.written;
    for (const { groupId, frame } of this.pending.splice(0)) this.deliver(groupId, frame);
    // Every group was closed while subscribing (left meanwhile): nothing will ever come.
    if (groupIds.length > 0 && this.sockets.size === 0) this.close();
  }

  /** Ends the stream once its session is revoked (deactivation, deletion, password change, forced change). */
  private async checkSession(): Promise<void> {
    const { userId, tokenVersion } = this.subject;
    try {
      // The rule every request's token check applies (src/auth/caller.ts), plus the forced change the stream refuses too.
      const [row] = await callerQuery(createDb(this.env.DB), userId);
      const caller = toCaller(row, { tokenVersion });
      if (!caller || caller.mustChangePassword) this.close();
    } catch (error) {
      // A failed read proves nothing either way: the next check decides.
      logError('live stream session check failed', error);
    }
  }

  private hub(groupId: string) {
    return this.env.GROUP_HUB.getByName(groupId);
  }

  private async subscribe(groupId: string): Promise<void> {
    const { userId, tokenVersion } = this.subject;
    const url = `https://group-hub/subscribe?user=${encodeURIComponent(userId)}&tv=${tokenVersion}`;
    const response = await this.hub(groupId).fetch(url, { headers: { Upgrade: 'websocket' } });
    const socket = response.webSocket;
    if (!socket) throw new Error(`hub of group ${groupId} refused the subscription (${response.status})`);
    socket.accept();
    if (this.closed) return closeQuietly(socket);
    this.sockets.set(groupId, socket);
    socket.addEventListener('message', (event) => this.receive(groupId, event.data));
    socket.addEventListener('close', (event) => {
      if (this.sockets.get(groupId) !== socket) return;
      // Left the group: carry on with the others. Anything else (revoked session, TOO_MANY_STREAMS of this
      // user, a hub that went away in a redeploy) ends the stream; the client reconnects and resumes from its last id.
      if (event.code === NOT_A_MEMBER) this.unsubscribe(groupId);
      else this.close();
    });
    socket.addEventListener('error', () => {
      if (this.sockets.get(groupId) === socket) this.close();
    });
  }

  private receive(groupId: string, data: unknown): void {
    if (this.closed || typeof data !== 'string') return;
    let frame: HubFrame;
    try {
      frame = JSON.parse(data) as HubFrame;
    } catch {
      return;
    }
    // Defence in depth: a socket only ever carries its own group.
    if (frame.message?.groupId !== groupId || !Number.isSafeInteger(frame.seq)) return;
    if (this.opening) this.pending.push({ groupId, frame });
    else this.deliver(groupId, frame);
  }

  private deliver(groupId: string, frame: HubFrame): void {
    if (this.closed || !this.sockets.has(groupId) || frame.seq <= (this.cursor[groupId] ?? 0)) return;
    this.cursor[groupId] = frame.seq;
    // The message and its id leave as one chunk: one write through every proxy on the way, not two.
    const id = this.nextId();
    this.write(id === null ? dataFrame(frame.message) : dataFrame(frame.message, id));
  }

  private unsubscribe(groupId: string): void {
    const socket = this.sockets.get(groupId);
    if (!socket) return;
    this.sockets.delete(groupId);
    delete this.cursor[groupId];
    closeQuietly(socket);
    // Out of every group (removed from all, groups deleted): end rather than ping forever. The client
    // reconnects and the new stream reads its memberships afresh.
    if (this.sockets.size === 0 && !this.opening) this.close();
  }

  private writeId(): void {
    const id = this.nextId();
    if (id !== null) this.write(idFrame(id));
  }

  /** The cursor's id when it moved since the last one written, else null. */
  private nextId(): string | null {
    const id = encodeCursor(this.cursor);
    if (id === this.lastId) return null;
    this.lastId = id;
    return id;
  }

  private write(chunk: Uint8Array): void {
    if (this.closed) return;
    try {
      this.controller.enqueue(chunk);
      this.written += chunk.byteLength;
      // The queue is read in order, so of what is unread at most what came after the opening is live.
      const unread = HIGH_WATER_MARK - (this.controller.desiredSize ?? HIGH_WATER_MARK);
      if (Math.min(unread, this.written - this.openingBytes) > MAX_UNREAD_BYTES) this.close();
    } catch {
      this.close();
    }
  }
}

function closeQuietly(socket: WebSocket): void {
  try {
    socket.close(1000, 'stream closed');
  } catch {
    /* already closed */
  }
}
