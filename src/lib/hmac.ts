/**
 * HMAC-SHA-256 keys, imported once per secret for the isolate's life: every
 * request verifies a token, and lists sign cursors and photo paths. Keyed by
 * the configured secrets and the keys derived from them, a handful in all:
 * no bound needed.
 */
const keys = new Map<string, Promise<CryptoKey>>();

export function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle
      .importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify'])
      .catch((error: unknown) => {
        keys.delete(secret);
        throw error;
      });
    keys.set(secret, key);
  }
  return key;
}

/** The MAC of `message` under `secret`. */
export async function hmac(secret: string, message: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign('HMAC', await hmacKey(secret), new TextEncoder().encode(message)));
}
