import { DurableObject } from 'cloudflare:workers';
import {
  IDEMPOTENCY_RETENTION_MS,
  type IdempotencyClaim,
  type IdempotencyRecord,
  idempotencyStep,
  type StoredResponse,
} from '@switchback/router-core';

export type { IdempotencyClaim, StoredResponse };

type Stored = { fingerprint: string; response: StoredResponse; expiresAt: number };
type InFlight = { fingerprint: string; until: number; done: Promise<void>; settle: () => void };

const RESPONSE_KEY = 'response';
const RETENTION_MS = IDEMPOTENCY_RETENTION_MS;
/** A waiter re-checks at most this often: the first run completes, fails, or is presumed dead. */
const MAX_ROUNDS = 4;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * One idempotency key of one tenant. The first claim runs the request; a concurrent duplicate
 * waits for it and replays its answer; a different body under the same key is a conflict.
 */
export class IdempotencyObject extends DurableObject<Env> {
  #inFlight: InFlight | undefined;

  #stored(now: number): Stored | undefined {
    const stored = this.ctx.storage.kv.get<Stored>(RESPONSE_KEY);
    return stored !== undefined && stored.expiresAt > now ? stored : undefined;
  }

  /**
   * Claims the key for a request with body fingerprint `fingerprint`, waiting up to `waitMs` for
   * a run already in flight. `runMs` bounds this caller's own run: past it, the run is presumed
   * lost and the key is free again.
   */
  async claim(input: {
    fingerprint: string;
    waitMs: number;
    runMs: number;
  }): Promise<IdempotencyClaim> {
    const deadline = Date.now() + input.waitMs;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const now = Date.now();
      const stored = this.#stored(now);
      const running = this.#inFlight;
      const record: IdempotencyRecord | undefined =
        stored !== undefined
          ? { state: 'done', fingerprint: stored.fingerprint, response: stored.response }
          : running === undefined
            ? undefined
            : { state: 'running', fingerprint: running.fingerprint, until: running.until };
      const step = idempotencyStep(record, input.fingerprint, now);
      if (step.kind === 'run') {
        let settle = () => {};
        const done = new Promise<void>((resolve) => {
          settle = resolve;
        });
        this.#inFlight = { fingerprint: input.fingerprint, until: now + input.runMs, done, settle };
        return step;
      }
      if (step.kind !== 'wait') return step;
      const until = running?.until ?? now;
      const wait = Math.min(deadline, until) - now;
      if (wait <= 0) break;
      await Promise.race([running?.done, sleep(wait)]);
    }
    return { kind: 'in_progress' };
  }

  /** Stores the first run's answer for replay and wakes the requests waiting on it. */
  complete(input: { fingerprint: string; response: StoredResponse }): void {
    this.ctx.storage.kv.put(RESPONSE_KEY, {
      fingerprint: input.fingerprint,
      response: input.response,
      expiresAt: Date.now() + RETENTION_MS,
    } satisfies Stored);
    void this.ctx.storage.setAlarm(Date.now() + RETENTION_MS);
    this.#release();
  }

  /** The first run failed or streamed: nothing to replay, a waiting duplicate may run instead. */
  release(): void {
    this.#release();
  }

  #release(): void {
    const running = this.#inFlight;
    this.#inFlight = undefined;
    running?.settle();
  }

  override async alarm(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }
}
