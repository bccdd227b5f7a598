/**
 * GroupHub: one Durable Object per group. It numbers and stores the group's
 * messages (for replay after a reconnect) and fans each one out over
 * hibernatable WebSockets to the Worker-side streams of the group's clients.
 *
 * Hibernation is the point of the design: the hub keeps no timers and no
 * per-client state in memory (who a socket belongs to is its attachment), so
 * between messages it is evicted and not billed while the sockets (and the
 * clients' SSE responses, held by the Worker) stay open. `fetch` only
 * upgrades; everything else is RPC.
 *
 * Membership is checked here, once per message for the whole group (one D1
 * query, read after the publishing write committed): a socket whose user left
 * the group is closed with NOT_A_MEMBER, one whose user was deactivated or
 * logged out everywhere with REVOKED. The stream reacts to those codes.
 * When the group is deleted, `dissolve` closes every socket with NOT_A_MEMBER
 * and erases the history.
 *
 * One user holds at most MAX_STREAMS_PER_USER sockets here: a subscription
 * beyond that closes the user's oldest ones with TOO_MANY_STREAMS, which ends
 * their streams like any other end (the client may reconnect), so one account
 * cannot pin an unbounded number of sockets and Worker-side streams.
 */
import { DurableObject } from 'cloudflare:workers';
import type { Bindings } from '../env';
import type { LiveMessage } from './publish';

/**
 * Kept for replay: at least the last 100 messages and everything of the last
 * 24 h, at most 5,000, counting only the latest EVENT_RATED of each event.
 */
const HISTORY_MIN_COUNT = 100;
const HISTORY_MIN_AGE_MS = 24 * 60 * 60 * 1000;
const HISTORY_MAX_COUNT = 5000;
/** A reconnect replays at most this many messages per group (the newest ones). */
const REPLAY_LIMIT = 1000;

/** What the hub sends down each socket. */
export interface HubFrame {
  seq: number;
  message: LiveMessage;
}

/** Close codes the hub uses towards streams. */
export const NOT_A_MEMBER = 4403;
const REVOKED = 4401;
/** The user opened MAX_STREAMS_PER_USER newer streams: this one, their oldest, ends. */
export const TOO_MANY_STREAMS = 4429;

/** Open streams (sockets on one hub) per user; a new one beyond this ends the user's oldest. */
export const MAX_STREAMS_PER_USER = 10;

/**
 * Who a socket belongs to; survives hibernation as the socket's attachment.
 * The socket is also tagged with `userId`, so a user's sockets are found without reading every attachment.
 */
interface Subscriber {
  userId: string;
  tokenVersion: number;
  /** Order of subscription among the user's sockets on this hub (1, 2, ...): the lowest open one is the oldest. */
  serial?: number;
}

export interface HubHistory {
  /** The group's newest sequence number (0 before the first message). */
  head: number;
  /** Messages after the requested sequence number, oldest first. */
  frames: HubFrame[];
}

export class GroupHub extends DurableObject<Bindings> {
  /** The tail of the publish queue (in memory: after an eviction nothing is in flight anyway). */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Bindings) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.createSchema();
  }

  /** The message table; `dissolve` erases it with everything else and makes it anew. */
  private createSchema(): void {
    // AUTOINCREMENT: sequence numbers are never reused after pruning, so a client cursor stays meaningful.
    this.sql.exec(`CREATE TABLE IF NOT EXISTS messages (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      body TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      supersedes TEXT
    )`);
    this.sql.exec(`CREATE INDEX IF NOT EXISTS messages_supersedes_idx ON messages (supersedes)`);
  }

  /** The Worker-side stream of one client subscribes here (WebSocket upgrade only). */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get('Upgrade')?.toLowerCase() !== 'websocket') {
      return new Response('Expected a WebSocket upgrade', { status: 426 });
    }
    const params = new URL(request.url).searchParams;
    const subscriber: Subscriber = { userId: params.get('user') ?? '', tokenVersion: Number(params.get('tv')) };
    // The user id becomes the socket's tag, which may be at most 256 characters.
    if (!subscriber.userId || subscriber.userId.length > 256 || !Number.isSafeInteger(subscriber.tokenVersion)) {
      return new Response('user and tv required', { status: 400 });
    }
    const { 0: worker, 1: hub } = new WebSocketPair();
    const held = this.ctx.getWebSockets(subscriber.userId).map((socket) => ({ socket, serial: serialOf(socket) }));
    subscriber.serial = held.reduce((max, s) => Math.max(max, s.serial), 0) + 1;
    this.ctx.acceptWebSocket(hub, [subscriber.userId]);
    hub.serializeAttachment(subscriber);

    // Beyond the limit the user's oldest open sockets end: the newest streams are the ones a client still reads.
    const open = held.filter((s) => s.socket.readyState === WebSocket.OPEN).sort((a, b) => a.serial - b.serial);
    for (const { socket } of open.slice(0, Math.max(0, open.length + 1 - MAX_STREAMS_PER_USER))) {
      closeQuietly(socket, TOO_MANY_STREAMS, 'too many streams');
    }
    return new Response(null, { status: 101, webSocket: worker });
  }

  /**
   * Stores the message and sends it to the group's connected members. Returns its sequence number.
   *
   * Publishes run one after another: each awaits a D1 query before it numbers
   * its message, and without the queue two concurrent ones would be numbered
   * (and delivered) in the order D1 happened to answer, not the order received.
   */
  async publish(message: LiveMessage): Promise<number> {
    const group = this.ctx.id.name;
    if (group !== undefined && group !== message.groupId) {
      throw new Error(`message of group ${message.groupId} sent to the hub of ${group}`);
    }
    return this.serially(() => this.store(message));
  }

  /**
   * The group was deleted: every stream drops it the way it drops a group its
   * user left (and carries on with its other groups), and the history goes.
   * Queued behind any publish in flight, so none writes after the erasure.
   */
  dissolve(): Promise<void> {
    return this.serially(async () => {
      for (const socket of this.ctx.getWebSockets()) closeQuietly(socket, NOT_A_MEMBER, 'group deleted');
      try {
        await this.ctx.storage.deleteAll();
      } finally {
        // A publish queued behind this one still finds its table (and an empty history).
        this.createSchema();
      }
    });
  }

  private serially<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task);
    // A failed task must not stall the ones queued after it; its caller still sees the error.
    this.queue = run.catch(() => {});
    return run;
  }

  private async store(message: LiveMessage): Promise<number> {
    const audience = this.ctx.getWebSockets().length > 0 ? await this.audience(message.groupId) : new Map();

    // No await from here on: numbering and sending happen in one turn, so frames leave in sequence order.
    const body = JSON.stringify(message);
    const now = Date.now();
    const key = supersedeKey(message);
    const seq = this.sql
      .exec<{ seq: number }>('INSERT INTO messages (body, created_at, supersedes) VALUES (?, ?, ?) RETURNING seq', body, now, key)
      .one().seq;
    // A newer aggregate makes the older ones of the same event worthless: a
    // rating flood then takes one slot of the history, not the whole of it.
    if (key !== null) this.sql.exec('DELETE FROM messages WHERE supersedes = ? AND seq < ?', key, seq);
    this.prune(seq, now);

    const frame = `{"seq":${seq},"message":${body}}`;
    for (const socket of this.ctx.getWebSockets()) {
      const subscriber = socket.deserializeAttachment() as Subscriber | null;
      const member = subscriber ? audience.get(subscriber.userId) : undefined;
      if (member === undefined) {
        closeQuietly(socket, NOT_A_MEMBER, 'not a member');
      } else if (member !== subscriber!.tokenVersion) {
        closeQuietly(socket, REVOKED, 'session revoked');
      } else {
        try {
          socket.send(frame);
        } catch {
          // A socket that cannot take a frame is dead: drop it rather than keep failing on it.
          closeQuietly(socket, 1011, 'send failed');
        }
      }
    }
    return seq;
  }

  /**
   * The group's members as userId → token version; a member who may not use
   * the API right now (inactive, forced password change) gets version -1.
   */
  private async audience(groupId: string): Promise<Map<string, number>> {
    const { results } = await this.env.DB.prepare(
      `SELECT u.id AS userId,
              CASE WHEN u.is_active AND NOT u.must_change_password THEN u.token_version ELSE -1 END AS tokenVersion
         FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.group_id = ?`,
    )
      .bind(groupId)
      .all<{ userId: string; tokenVersion: number }>();
    return new Map(results.map((r) => [r.userId, r.tokenVersion]));
  }

  /**
   * The head sequence number and what came after `after` (nothing when
   * `after` is null), published at or after `since` (epoch ms: when the user
   * joined the group).
   */
  async history(after: number | null, since = 0): Promise<HubHistory> {
    const head = this.head();
    if (after === null || after >= head) return { head, frames: [] };
    const rows = this.sql
      .exec<{ seq: number; body: string }>(
        `SELECT seq, body FROM (SELECT seq, body FROM messages WHERE seq > ? AND created_at >= ? ORDER BY seq DESC LIMIT ?) ORDER BY seq`,
        after,
        since,
        REPLAY_LIMIT,
      )
      .toArray();
    return { head, frames: rows.map((r) => ({ seq: r.seq, message: JSON.parse(r.body) as LiveMessage })) };
  }

  override async webSocketMessage(): Promise<void> {
    // Streams only listen; nothing they send means anything.
  }

  override async webSocketClose(socket: WebSocket, code: number, reason: string): Promise<void> {
    closeQuietly(socket, code === 1005 || code === 1006 ? 1000 : code, reason);
  }

  private head(): number {
    try {
      const row = this.sql.exec<{ seq: number }>(`SELECT seq FROM sqlite_sequence WHERE name = 'messages'`).toArray()[0];
      return row?.seq ?? 0;
    } catch (error) {
      // While `dissolve` erases the storage (deleteAll yields), a read finds no sequence table:
      // nothing is published then, and the group is gone, so its history is empty.
      if (error instanceof Error && error.message.includes('no such table')) return 0;
      throw error;
    }
  }

  /**
   * Counts are of rows, not of sequence numbers: superseded ratings leave
   * gaps. The cap (a walk of 5,000 index entries) is enforced every 100th
   * message, so it is never exceeded by more than that.
   */
  private prune(head: number, now: number): void {
    const nth = (n: number) => `(SELECT seq FROM messages ORDER BY seq DESC LIMIT 1 OFFSET ${n - 1})`;
    this.sql.exec(`DELETE FROM messages WHERE seq < ${nth(HISTORY_MIN_COUNT)} AND created_at < ?`, now - HISTORY_MIN_AGE_MS);
    if (head % 100 === 0) this.sql.exec(`DELETE FROM messages WHERE seq < ${nth(HISTORY_MAX_COUNT)}`);
  }
}

/** Messages that only the latest of their kind matters for (EVENT_RATED carries the event's whole aggregate). */
function supersedeKey(message: LiveMessage): string | null {
  return message.type === 'EVENT_RATED' ? `rated:${message.eventId}` : null;
}

function serialOf(socket: WebSocket): number {
  return (socket.deserializeAttachment() as Subscriber | null)?.serial ?? 0;
}

function closeQuietly(socket: WebSocket, code: number, reason: string): void {
  try {
    socket.close(code, reason);
  } catch {
    /* already closed */
  }
}
