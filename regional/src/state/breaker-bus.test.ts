import { describe, expect, it } from 'vitest';
import { type BreakerKey, createBreakers } from '../resilience/breaker-registry.ts';
import { type BreakerBus, shareBreakers } from './breaker-bus.ts';

const CONFIG = {
  errorThresholdPercentage: 50,
  volumeThreshold: 2,
  resetTimeoutMs: 60_000,
  rollingCountTimeoutMs: 10_000,
};
const KEY: BreakerKey = { provider: 'openai', model: 'gpt', backend: '0' };

/** Replicas on one channel, as Redis pub/sub connects them (a publisher does not hear itself). */
const memoryBus = () => {
  const members: Set<(key: BreakerKey) => void>[] = [];
  const published: BreakerKey[] = [];
  return {
    published,
    join(): BreakerBus {
      const mine = new Set<(key: BreakerKey) => void>();
      members.push(mine);
      return {
        async publish(key) {
          published.push(key);
          for (const other of members) if (other !== mine) for (const l of other) l(key);
        },
        subscribe(listener) {
          mine.add(listener);
          return () => mine.delete(listener);
        },
      };
    },
  };
};

describe('breaker openings shared between replicas', () => {
  it('a breaker opened by failures on one replica opens on the others, announced once', async () => {
    const bus = memoryBus();
    const [a, b, c] = [createBreakers(CONFIG), createBreakers(CONFIG), createBreakers(CONFIG)];
    for (const breakers of [a, b, c]) shareBreakers(breakers, bus.join());
    for (let i = 0; i < 3; i++) {
      await a.run(KEY, () => Promise.reject(new Error('500'))).catch(() => {});
    }
    expect([a.state(KEY), b.state(KEY), c.state(KEY)]).toEqual(['open', 'open', 'open']);
    // The replicas that opened because they were told do not announce it again.
    expect(bus.published).toEqual([KEY]);
    for (const breakers of [a, b, c]) breakers.shutdown();
  });

  it('a replica that stopped listening keeps its own state', () => {
    const bus = memoryBus();
    const [a, b] = [createBreakers(CONFIG), createBreakers(CONFIG)];
    shareBreakers(a, bus.join());
    const stop = shareBreakers(b, bus.join());
    stop();
    a.open(KEY);
    expect([a.state(KEY), b.state(KEY)]).toEqual(['open', 'closed']);
    a.shutdown();
    b.shutdown();
  });
});
