/**
 * Standard Webhooks signatures (standardwebhooks.com) for the generic kind:
 * the secret is `whsec_` and base64 of 32 random bytes; each attempt signs
 * `<webhook-id>.<webhook-timestamp>.<body>` with HMAC-SHA-256 under the
 * decoded bytes and sends `webhook-signature: v1,<base64>`.
 */

const PREFIX = 'whsec_';

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0));

export function newSigningSecret(): string {
  return `${PREFIX}${toBase64(crypto.getRandomValues(new Uint8Array(32)))}`;
}

/** The headers of one attempt: the delivery's id stays, the timestamp is the attempt's own. */
export async function signatureHeaders(
  secret: string,
  webhookId: string,
  body: string,
  now = Date.now(),
): Promise<Record<string, string>> {
  const timestamp = String(Math.floor(now / 1000));
  const key = await crypto.subtle.importKey(
    'raw',
    fromBase64(secret.slice(PREFIX.length)),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${webhookId}.${timestamp}.${body}`));
  return {
    'webhook-id': webhookId,
    'webhook-timestamp': timestamp,
    'webhook-signature': `v1,${toBase64(new Uint8Array(mac))}`,
  };
}
