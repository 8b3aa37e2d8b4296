import type {
  AuditChainHead,
  CheckpointStore,
  IdempotencyClaim,
  QuotaStore,
  ResponseEventLog,
  ResponseStore,
  SessionState,
  StoredResponse,
} from '@switchback/router-core';
import type { SharedJobQueue } from '../background/shared-job-queue.ts';
import type { AdmissionStore } from './admission.ts';
import type { BreakerBus } from './breaker-bus.ts';

/** The state a regional replica keeps, each with its own policy when the store cannot answer. */
export const STATE_CONCERNS = [
  'quotas',
  'idempotency',
  'sessions',
  'nonces',
  'audit',
  'breakers',
  'checkpoints',
] as const;
export type StateConcern = (typeof STATE_CONCERNS)[number];

/** What a concern did when its store failed or missed its deadline (infra/DEPLOYING.md, "State on Redis"). */
export type StatePolicy = 'fail_open' | 'fail_closed';

export type StateFailure = { concern: StateConcern; policy: StatePolicy; error: string };

/** Sticky-tier state per session, keyed by the tenant-namespaced affinity key. */
export interface SessionStateStore {
  get(key: string): Promise<SessionState | undefined>;
  set(key: string, state: SessionState): Promise<void>;
  /** Sessions held, where the store can count them cheaply (this process). */
  readonly size?: number;
}

/** Nonces of signed escalations seen lately. */
export interface NonceStore {
  /** Remembers `nonce`; false if it was seen before (a replay). */
  claim(nonce: string): Promise<boolean>;
}

/** Idempotency records by tenant-scoped key, with router-core's `idempotencyStep` semantics. */
export interface IdempotencyStore {
  /** Claims `key`, waiting up to `waitMs` for a run in flight; `runMs` bounds the caller's run. */
  claim(
    key: string,
    input: { fingerprint: string; waitMs: number; runMs: number },
  ): Promise<IdempotencyClaim>;
  /** Keeps the first run's answer for replay (a day). */
  complete(key: string, fingerprint: string, response: StoredResponse): Promise<void>;
  /** The run failed or streamed: nothing to replay, the key is free for a duplicate. */
  release(key: string, fingerprint: string): Promise<void>;
}

/** Where failures of the state store are told (metrics, log); one listener per consumer. */
export type StateFailures = {
  report(failure: StateFailure): void;
  listen(listener: (failure: StateFailure) => void): void;
};

/** Everything a regional replica shares with the others (Redis) or keeps to itself (memory). */
export type RegionalState = {
  kind: 'memory' | 'redis';
  quotas: QuotaStore;
  sessions: SessionStateStore;
  nonces: NonceStore;
  idempotency: IdempotencyStore;
  /** A request's quota draw, session read and idempotency claim in one call (Redis: one round trip). */
  admission: AdmissionStore;
  /** The audit chains' shared heads (one per tenant); none in memory, where the log keeps its own. */
  auditHead: AuditChainHead | undefined;
  /** Breaker openings shared between replicas (`state.breakers: shared`); none by default. */
  breakerBus: BreakerBus | undefined;
  failures: StateFailures;
  /** Compaction checkpoints per tenant and session, so another replica picks a session up. */
  checkpoints: CheckpointStore;
  /** Stored Responses-API responses per tenant (`store`, `previous_response_id`). */
  responses: ResponseStore;
  /** Background runs' queue shared by the replicas (Redis); none in memory, where they run in process. */
  jobs?: SharedJobQueue | undefined;
  /** Background responses' stream events, for `GET …?stream=true&starting_after=n`. */
  events?: ResponseEventLog | undefined;
  close(): Promise<void>;
};

/** A store call that failed or missed its deadline: the concern's policy decides what follows. */
export class StateUnavailableError extends Error {
  readonly concern: StateConcern;
  constructor(concern: StateConcern, cause: unknown) {
    super(
      `state store unavailable (${concern}): ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
    this.name = 'StateUnavailableError';
    this.concern = concern;
  }
}

export const createStateFailures = (): StateFailures => {
  const listeners: ((failure: StateFailure) => void)[] = [];
  return {
    report(failure) {
      for (const listener of listeners) listener(failure);
    },
    listen(listener) {
      listeners.push(listener);
    },
  };
};
