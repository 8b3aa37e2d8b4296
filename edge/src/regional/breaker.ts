import type { BreakerConfig } from '@switchback/router-core';

const MAX_SAMPLES = 1_000;

export type BreakerState = 'closed' | 'open' | 'half_open';

/**
 * A circuit breaker for the regional service, per isolate (opossum's semantics, without Node):
 * it opens when, over the rolling window, at least `volumeThreshold` calls were made and
 * `errorThresholdPercentage` of them failed; after `resetTimeoutMs` one probe is let through,
 * whose outcome closes or re-opens it.
 */
export class Breaker {
  readonly #config: BreakerConfig;
  readonly #now: () => number;
  #outcomes: { at: number; ok: boolean }[] = [];
  #openedAt: number | undefined;
  #probing = false;

  constructor(config: BreakerConfig, now: () => number = Date.now) {
    this.#config = config;
    this.#now = now;
  }

  get state(): BreakerState {
    if (this.#openedAt === undefined) return 'closed';
    return this.#now() - this.#openedAt >= this.#config.resetTimeoutMs ? 'half_open' : 'open';
  }

  /** Whether a call may go out now; in half-open, only the one probe may. */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.#probing) return false;
    this.#probing = true;
    return true;
  }

  /** Ms until a probe may go out (0 when closed or half-open). */
  retryAfterMs(): number {
    if (this.#openedAt === undefined) return 0;
    return Math.max(0, this.#openedAt + this.#config.resetTimeoutMs - this.#now());
  }

  /** A call that ended without telling anything about health (the client left): frees the probe. */
  abandon(): void {
    this.#probing = false;
  }

  /** Closed by an operator (`reset_breaker`): regional is served again from the next request. */
  close(): void {
    this.#openedAt = undefined;
    this.#probing = false;
    this.#outcomes = [];
  }

  success(): void {
    if (this.#openedAt !== undefined) {
      this.#openedAt = undefined;
      this.#probing = false;
      this.#outcomes = [];
      return;
    }
    this.#record(true);
  }

  failure(): void {
    if (this.#openedAt !== undefined) {
      // A failed probe (or a late failure while open) starts the wait over.
      this.#openedAt = this.#now();
      this.#probing = false;
      return;
    }
    this.#record(false);
    const failures = this.#outcomes.filter((o) => !o.ok).length;
    const calls = this.#outcomes.length;
    if (
      calls >= this.#config.volumeThreshold &&
      (failures / calls) * 100 >= this.#config.errorThresholdPercentage
    ) {
      this.#openedAt = this.#now();
      this.#outcomes = [];
    }
  }

  #record(ok: boolean): void {
    const now = this.#now();
    const since = now - this.#config.rollingCountTimeoutMs;
    this.#outcomes = this.#outcomes.filter((o) => o.at > since);
    this.#outcomes.push({ at: now, ok });
    // Proportions are all that matter: a bounded sample keeps a hot isolate's memory flat.
    if (this.#outcomes.length > MAX_SAMPLES) this.#outcomes.shift();
  }
}
