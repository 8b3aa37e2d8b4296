import type { BreakerKey, Breakers } from '../resilience/breaker-registry.ts';

/** Where replicas tell each other that a breaker opened (`state.breakers: shared`). */
export interface BreakerBus {
  /** Tells the other replicas; never rejects (a lost message leaves them local). */
  publish(key: BreakerKey): Promise<void>;
  /** Called for each breaker another replica opened; returns the unsubscribe. */
  subscribe(listener: (key: BreakerKey) => void): () => void;
}

/**
 * Shares the openings of `breakers` over `bus`: a breaker this replica opens from its own
 * traffic is announced, and one another replica opened is opened here too (a closed one only).
 * Each replica then runs its own reset timeout and half-open probe, so recovery stays local.
 * Returns the unsubscribe (an app that retires stops listening).
 */
export const shareBreakers = (breakers: Breakers, bus: BreakerBus): (() => void) => {
  let applying = false;
  breakers.onStateChange((snapshot) => {
    if (snapshot.state !== 'open' || applying) return;
    const { provider, model, backend } = snapshot;
    void bus.publish({ provider, model, backend });
  });
  return bus.subscribe((key) => {
    if (breakers.state(key) !== 'closed') return;
    applying = true;
    try {
      breakers.open(key);
    } finally {
      applying = false;
    }
  });
};
