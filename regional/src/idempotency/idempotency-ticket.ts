import type { IdempotencyClaim } from '@switchback/router-core';

/**
 * A front-door request's `idempotency-key`, claimed by its admission (on Redis in the one round
 * trip that draws its quota and reads its session), after the request was validated and before
 * it runs. The idempotency stage makes it, the chat route's admission claims it.
 */
export type IdempotencyTicket = {
  /** Tenant-scoped. */
  key: string;
  fingerprint: string;
  /** What is left of the request's budget: the run's bound and a duplicate's wait. */
  remainingMs(): number;
  /** Waits for the run in flight under this key (polling on Redis) and claims it if it ends unanswered. */
  wait(): Promise<IdempotencyClaim>;
  /** True once this request holds the key: its run must complete or release it. */
  claimed: boolean;
};

/** The key answered the request (replay, conflict, in progress): nothing runs, nothing was drawn. */
export class ClaimAnswered extends Error {
  readonly claim: Exclude<IdempotencyClaim, { kind: 'run' }>;
  constructor(claim: Exclude<IdempotencyClaim, { kind: 'run' }>) {
    super(`idempotency-key answered: ${claim.kind}`);
    this.name = 'ClaimAnswered';
    this.claim = claim;
  }
}
