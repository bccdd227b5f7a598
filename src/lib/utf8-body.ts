/**
 * JSON bodies are UTF-8 (RFC 8259): one that is not answers 400
 * `validation_failed` instead of being stored with U+FFFD where its bad bytes
 * were, as `Request.text()` would decode it. Every JSON body a route reads
 * goes through Hono's body cache, so the strict decoding is set there once,
 * for every route; it runs only when a route reads the body, so a route that
 * takes none never answers 400 for one.
 */
import type { Context } from 'hono';
import { ApiError } from '../errors';

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** The refusal of a body that was not UTF-8; Hono's JSON validator reports it as malformed JSON. */
const refused = new WeakMap<object, ApiError>();

export function readTextStrictly(c: Context): void {
  const request = c.req;
  let text: Promise<string> | undefined;
  Object.defineProperty(request.bodyCache, 'text', {
    configurable: true,
    enumerable: true,
    get: () =>
      (text ??= request.raw.arrayBuffer().then((bytes) => {
        try {
          return decoder.decode(bytes);
        } catch {
          const error = new ApiError('validation_failed', 'The body is not valid UTF-8.', {
            errors: [{ path: '(root)', message: 'Not valid UTF-8' }],
          });
          refused.set(request, error);
          throw error;
        }
      })),
    set: (value: Promise<string>) => {
      text = value;
    },
  });
}

/** Why this request's body could not be read, when it was not UTF-8. */
export const undecodableBody = (c: Context): ApiError | undefined => refused.get(c.req);
