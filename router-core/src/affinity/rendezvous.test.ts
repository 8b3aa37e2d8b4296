import { describe, expect, it } from 'vitest';
import { rendezvous } from './rendezvous.ts';

const backends = ['http://a:8000', 'http://b:8000', 'http://c:8000', 'http://d:8000'];
const sessions = Array.from({ length: 1000 }, (_, i) => `session-${i}`);

describe('rendezvous', () => {
  it('has no backend for an empty pool', () => {
    expect(rendezvous('s', [])).toBeUndefined();
  });

  it('does not depend on the order of the pool', () => {
    for (const s of sessions.slice(0, 100)) {
      expect(rendezvous(s, backends)).toBe(rendezvous(s, [...backends].reverse()));
    }
  });

  it('spreads 1,000 sessions evenly over 4 backends', () => {
    const counts = new Map<string, number>();
    for (const s of sessions) {
      const b = rendezvous(s, backends) ?? '';
      counts.set(b, (counts.get(b) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(backends);
    for (const n of counts.values()) expect(n).toBeGreaterThan(200);
  });

  it('moves only the sessions of a backend that leaves, and each to a survivor', () => {
    const survivors = backends.filter((b) => b !== 'http://c:8000');
    let moved = 0;
    for (const s of sessions) {
      const before = rendezvous(s, backends);
      const after = rendezvous(s, survivors);
      if (before === 'http://c:8000') moved++;
      else expect(after).toBe(before);
    }
    expect(moved).toBeGreaterThan(200);
  });
});
