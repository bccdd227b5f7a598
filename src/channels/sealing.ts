/**
 * Channel secrets at rest (the URL, the generic kind's signing secret):
 * AES-GCM under a key derived for this purpose alone from JWT_SECRET
 * (src/lib/keys.ts), each bound to its channel and field by the additional
 * data, so a sealed value copied to another row does not open.
 */
import { fromBase64Url, toBase64Url } from '../lib/encoding';
import { purposeKey } from '../lib/keys';

const keys = new Map<string, Promise<CryptoKey>>();

function sealingKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = purposeKey(secret, 'channel-secrets').then((hex) =>
      crypto.subtle.importKey(
        'raw',
        Uint8Array.from(hex.match(/../g)!, (b) => Number.parseInt(b, 16)),
        'AES-GCM',
        false,
        ['encrypt', 'decrypt'],
      ),
    );
    keys.set(secret, key);
  }
  return key;
}

const binding = (channelId: string, field: 'url' | 'secret') => new TextEncoder().encode(`${channelId}:${field}`);

export async function seal(secret: string, channelId: string, field: 'url' | 'secret', plain: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: binding(channelId, field) },
    await sealingKey(secret),
    new TextEncoder().encode(plain),
  );
  return `${toBase64Url(iv)}.${toBase64Url(new Uint8Array(sealed))}`;
}

export async function unseal(secret: string, channelId: string, field: 'url' | 'secret', stored: string): Promise<string> {
  const [iv, sealed] = stored.split('.');
  const plain = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: fromBase64Url(iv!), additionalData: binding(channelId, field) },
    await sealingKey(secret),
    fromBase64Url(sealed!),
  );
  return new TextDecoder().decode(plain);
}
