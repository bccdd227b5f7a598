/** The retry schedule of deliveries (src/channels/retry.ts). */
import { describe, expect, it } from 'vitest';
import { MAX_ATTEMPTS, MAX_DELAY_SECONDS, parseRetryAfter, retryDelay } from '../../src/channels/retry';

const delays = (random: number) => Array.from({ length: MAX_ATTEMPTS }, (_, i) => retryDelay(i + 1, null, random));

describe('retry schedule', () => {
  it('retries first within 30 s, then within 5 minutes, growing exponentially with jitter', () => {
    for (const random of [0, 0.5, 0.999]) {
      const d = delays(random);
      expect(d[0]).toBeLessThanOrEqual(30);
      expect(d[1]).toBeLessThanOrEqual(300);
      for (let i = 1; i < MAX_ATTEMPTS - 2; i++) expect(d[i]!).toBeGreaterThan(d[i - 1]!);
    }
    expect(delays(0)).not.toEqual(delays(0.999));
  });

  it('makes at least 8 attempts over more than a day, each delay within the queue’s 12 h cap', () => {
    expect(MAX_ATTEMPTS).toBeGreaterThanOrEqual(8);
    for (const random of [0, 0.999]) {
      const d = delays(random);
      expect(d.at(-1)).toBeNull();
      const waits = d.slice(0, -1) as number[];
      for (const w of waits) expect(w).toBeLessThanOrEqual(MAX_DELAY_SECONDS);
      expect(waits.reduce((a, b) => a + b, 0)).toBeGreaterThan(24 * 3600);
    }
  });

  it('never retries sooner than Retry-After asks (up to the cap)', () => {
    expect(retryDelay(1, 120, 0)).toBe(120);
    expect(retryDelay(1, 5, 0)).toBe(15);
    expect(retryDelay(2, 10 * 24 * 3600, 0)).toBe(MAX_DELAY_SECONDS);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-12-07T10:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120);
    expect(parseRetryAfter('Mon, 07 Dec 2026 10:05:00 GMT', now)).toBe(300);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});
