/**
 * The dead-letter queues' consumer (wrangler.toml: every `dead_letter_queue`
 * is also consumed): each message that failed every attempt is recorded in
 * D1 (`dead_letters`) for global admins to see (GET /api/admin/dead-letters)
 * instead of expiring unseen after four days. One insert for the batch; a
 * message recorded before (a redelivery) is left as it is.
 */
import wranglerConfig from '../../wrangler.toml';
import { createDb } from '../db/client';
import { deadLetters } from '../db/schema';
import type { Bindings } from '../env';
import { log } from '../lib/log';
import { isDigest } from './new-accounts';

/** The dead-letter queues wrangler.toml names, and the queue each one collects for. */
const DEAD_LETTER_QUEUES = new Map(
  [...wranglerConfig.matchAll(/^queue\s*=\s*"([^"]+)"[^[]*?^dead_letter_queue\s*=\s*"([^"]+)"/gms)].map((m) => [m[2]!, m[1]!]),
);

export const isDeadLetterQueue = (queue: string) => DEAD_LETTER_QUEUES.has(queue);

/** What a message was for, without its content. */
function describe(body: unknown): { kind: string; recipient: string | null } {
  if (isDigest(body)) return { kind: body.kind, recipient: null };
  const mail = body as { template?: unknown; to?: unknown } | null;
  return {
    kind: typeof mail?.template === 'string' ? mail.template : 'unknown',
    recipient: typeof mail?.to === 'string' ? mail.to : null,
  };
}

/** D1 allows 100 bound parameters a statement: 6 columns a row. */
const ROWS_PER_INSERT = 16;

export async function recordDeadLetters(batch: MessageBatch<unknown>, env: Bindings): Promise<void> {
  const started = performance.now();
  const queue = DEAD_LETTER_QUEUES.get(batch.queue) ?? batch.queue;
  const rows = batch.messages.map((m) => ({ id: m.id, queue, sentAt: m.timestamp.toISOString(), ...describe(m.body) }));
  const db = createDb(env.DB);
  const inserts = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    inserts.push(
      db
        .insert(deadLetters)
        .values(rows.slice(i, i + ROWS_PER_INSERT))
        .onConflictDoNothing(),
    );
  }
  if (inserts.length > 0) {
    // Unacknowledged, the batch is delivered again: recording it must not be lost on a failing D1.
    const [first, ...more] = inserts;
    await db.batch([first!, ...more]);
  }
  batch.ackAll();
  log('warn', 'dead letters recorded', {
    queue,
    deadLetterQueue: batch.queue,
    messages: batch.messages.length,
    kinds: [...new Set(rows.map((r) => r.kind))].join(', '),
    durationMs: Math.round(performance.now() - started),
  });
}
