import type { BreakerConfig } from '@switchback/router-core';
import { isRequestFault, UpstreamError } from '@switchback/router-core';
import CircuitBreaker from 'opossum';

/** A breaker's state, as `/healthz` reports it. `router_breaker_state` encodes it 0, 1, 2. */
export const BREAKER_STATES = ['closed', 'half_open', 'open'] as const;
export type BreakerState = (typeof BREAKER_STATES)[number];

/** One breaker guards one model on one backend of one provider. */
export type BreakerKey = { provider: string; model: string; backend: string };

export type BreakerSnapshot = BreakerKey & { state: BreakerState };

type Thunk = () => Promise<void>;

/** Failures that say nothing about the provider's health never count against it. */
export const countsAgainstProvider = (error: unknown): boolean => {
  if (!(error instanceof UpstreamError)) return true;
  switch (error.kind) {
    case 'aborted':
    case 'deadline':
    case 'breaker_open':
      return false;
    case 'client':
      // A malformed request is the caller's fault; a 401/404 means the provider is unusable.
      return !isRequestFault(error);
    default:
      return true;
  }
};

const stateOf = (breaker: CircuitBreaker<[Thunk], void>): BreakerState =>
  breaker.opened ? 'open' : breaker.halfOpen ? 'half_open' : 'closed';

const keyString = (key: BreakerKey): string =>
  `${key.provider}\u0000${key.model}\u0000${key.backend}`;

/** A guarded call: runs `run` through the breaker of `key`, or fails fast with `breaker_open`. */
export type Breakers = {
  run<T>(key: BreakerKey, run: () => Promise<T>): Promise<T>;
  state(key: BreakerKey): BreakerState;
  /** Whether a call now would reach the provider (closed, or half-open with its probe unspent). */
  admits(key: BreakerKey): boolean;
  /** Opens the breaker by hand (operators, tests): the backend counts as unhealthy. */
  open(key: BreakerKey): void;
  close(key: BreakerKey): void;
  snapshot(): BreakerSnapshot[];
  onStateChange(listener: (snapshot: BreakerSnapshot) => void): void;
  shutdown(): void;
};

/** Opossum breakers per provider, model and backend, created on first use with config thresholds. */
/** Thrown inside the breaker to count a late first token as a failure. */
const SLOW_CALL = new Error('first token slower than breaker.slowFirstTokenMs');

export const createBreakers = (config: BreakerConfig): Breakers => {
  const slowMs = config.slowFirstTokenMs;
  const breakers = new Map<string, { key: BreakerKey; breaker: CircuitBreaker<[Thunk], void> }>();
  const listeners: ((snapshot: BreakerSnapshot) => void)[] = [];

  const get = (key: BreakerKey): CircuitBreaker<[Thunk], void> => {
    const id = keyString(key);
    const existing = breakers.get(id);
    if (existing) return existing.breaker;
    const breaker = new CircuitBreaker<[Thunk], void>((thunk) => thunk(), {
      name: `${key.provider}/${key.model}#${key.backend}`,
      // Deadlines are the runner's (TTFT, end-to-end); the breaker only counts outcomes.
      timeout: false,
      errorThresholdPercentage: config.errorThresholdPercentage,
      volumeThreshold: config.volumeThreshold,
      resetTimeout: config.resetTimeoutMs,
      rollingCountTimeout: config.rollingCountTimeoutMs,
      rollingCountBuckets: 10,
      rollingPercentilesEnabled: false,
      errorFilter: (error: unknown) => !countsAgainstProvider(error),
    });
    const notify = () => {
      for (const listener of listeners) listener({ ...key, state: stateOf(breaker) });
    };
    breaker.on('open', notify);
    breaker.on('halfOpen', notify);
    breaker.on('close', notify);
    breakers.set(id, { key, breaker });
    return breaker;
  };

  return {
    async run<T>(key: BreakerKey, run: () => Promise<T>): Promise<T> {
      let result: { value: T } | undefined;
      try {
        await get(key).fire(async () => {
          const started = performance.now();
          result = { value: await run() };
          if (slowMs !== undefined && performance.now() - started > slowMs) throw SLOW_CALL;
        });
      } catch (error) {
        // The answer came, late: the breaker counted a failure, the caller still gets it.
        if (error === SLOW_CALL && result) return result.value;
        if (error instanceof Error && CircuitBreaker.isOurError(error)) {
          throw new UpstreamError(
            'breaker_open',
            key.provider,
            `The breaker of ${key.provider}/${key.model} is open: not calling it for now.`,
            { cause: error },
          );
        }
        throw error;
      }
      if (!result) throw new Error('breaker ran without a result');
      return result.value;
    },
    state: (key) => stateOf(get(key)),
    admits(key) {
      const breaker = get(key);
      return breaker.closed || (breaker.halfOpen && breaker.pendingClose);
    },
    open: (key) => get(key).open(),
    close: (key) => get(key).close(),
    snapshot: () =>
      [...breakers.values()].map(({ key, breaker }) => ({ ...key, state: stateOf(breaker) })),
    onStateChange(listener) {
      listeners.push(listener);
    },
    shutdown() {
      for (const { breaker } of breakers.values()) breaker.shutdown();
      breakers.clear();
    },
  };
};
