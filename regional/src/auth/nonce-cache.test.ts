import { describe, expect, it } from 'vitest';
import { createNonceCache } from './nonce-cache.ts';

describe('nonce cache', () => {
  it('accepts a nonce once, refuses it again while it is remembered, forgets it after the ttl', () => {
    let now = 0;
    const cache = createNonceCache({ ttlMs: 120_000, capacity: 10, now: () => now });
    expect(cache.claim('a')).toBe(true);
    expect(cache.claim('a')).toBe(false);
    now = 120_001;
    expect(cache.claim('a')).toBe(true);
  });

  it('stays within its capacity, dropping the oldest nonces first', () => {
    const cache = createNonceCache({ ttlMs: 120_000, capacity: 3, now: () => 0 });
    for (const nonce of ['a', 'b', 'c', 'd']) expect(cache.claim(nonce)).toBe(true);
    expect(cache.size).toBeLessThanOrEqual(3);
    expect(cache.claim('d')).toBe(false);
    expect(cache.claim('a')).toBe(true);
  });
});
