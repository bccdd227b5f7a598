/** Standard Webhooks signatures, checked with the specification's reference package. */
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { newSigningSecret, signatureHeaders } from '../../src/channels/signing';

describe('signing', () => {
  it('signs so that the reference implementation verifies the body', async () => {
    const secret = newSigningSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const body = JSON.stringify({
      type: 'cake.created',
      timestamp: '2026-12-07T10:00:00.000Z',
      data: { description: 'Käsekuchen 🍰' },
    });
    const headers = await signatureHeaders(secret, 'msg_123', body);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('is refused by the reference implementation for another secret, body or id', async () => {
    const secret = newSigningSecret();
    const body = '{"type":"channel.test"}';
    const headers = await signatureHeaders(secret, 'msg_1', body);
    expect(() => new Webhook(newSigningSecret()).verify(body, headers)).toThrow();
    expect(() => new Webhook(secret).verify(`${body} `, headers)).toThrow();
    expect(() => new Webhook(secret).verify(body, { ...headers, 'webhook-id': 'msg_2' })).toThrow();
  });

  it('signs each attempt anew: same id, its own timestamp', async () => {
    const secret = newSigningSecret();
    const first = await signatureHeaders(secret, 'msg_1', '{}', Date.now() - 60_000);
    const second = await signatureHeaders(secret, 'msg_1', '{}');
    expect(second['webhook-id']).toBe(first['webhook-id']);
    expect(Number(second['webhook-timestamp']) - Number(first['webhook-timestamp'])).toBe(60);
    expect(second['webhook-signature']).not.toBe(first['webhook-signature']);
    expect(() => new Webhook(secret).verify('{}', second)).not.toThrow();
  });
});
