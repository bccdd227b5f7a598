/**
 * Server-sent events framing as the clients expect it: every message is its
 * own `data:` block, and its id follows in a separate `id:` block (the web
 * frontend splits on blank lines and parses blocks that start with `data: `).
 */
const encoder = new TextEncoder();

/** How long EventSource waits before reconnecting. */
const RETRY_MS = 3000;
/** Comment lines keep proxies from closing an idle stream; the contract asks for at most 25 s. */
export const PING_INTERVAL_MS = 15_000;

export const retryFrame = () => encoder.encode(`retry: ${RETRY_MS}\n\n`);
export const pingFrame = () => encoder.encode(': ping\n\n');
export const idFrame = (id: string) => encoder.encode(`id: ${id}\n\n`);
/**
 * JSON.stringify never emits a raw newline, so one `data:` line always holds
 * the whole message; with `id`, its own `id:` block follows in the same chunk.
 */
export const dataFrame = (message: unknown, id?: string) =>
  encoder.encode(`data: ${JSON.stringify(message)}\n\n${id === undefined ? '' : `id: ${id}\n\n`}`);
