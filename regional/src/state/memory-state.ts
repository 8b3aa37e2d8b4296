import {
  createMemoryCheckpointStore,
  createMemoryEventLog,
  createMemoryQuotaStore,
  createMemoryResponseStore,
  IDEMPOTENCY_RETENTION_MS,
  type IdempotencyRecord,
  idempotencyStep,
  MAX_CLOCK_SKEW_MS,
} from '@switchback/router-core';
import { createNonceCache } from '../auth/nonce-cache.ts';
import { createSessionStore } from '../sessions/session-store.ts';
import { composedAdmission } from './admission.ts';
import {
  createStateFailures,
  type IdempotencyStore,
  type RegionalState,
  type SessionStateStore,
} from './state-store.ts';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Idempotency records in this process, bounded: the oldest key goes first when full. */
export const createMemoryIdempotencyStore = (
  capacity = 50_000,
  now: () => number = Date.now,
): IdempotencyStore => {
  const records = new Map<string, IdempotencyRecord & { expiresAt: number }>();
  const waiters = new Map<string, Set<() => void>>();
  const wake = (key: string) => {
    for (const resolve of waiters.get(key) ?? []) resolve();
    waiters.delete(key);
  };
  const lookup = (key: string, at: number) => {
    const record = records.get(key);
    if (record !== undefined && record.expiresAt <= at) records.delete(key);
    return record !== undefined && record.expiresAt > at ? record : undefined;
  };
  const put = (key: string, record: IdempotencyRecord & { expiresAt: number }) => {
    records.delete(key);
    records.set(key, record);
    if (records.size > capacity) {
      const oldest = records.keys().next();
      if (!oldest.done) records.delete(oldest.value);
    }
  };
  return {
    async claim(key, input) {
      const deadline = now() + input.waitMs;
      for (;;) {
        const at = now();
        const record = lookup(key, at);
        const step = idempotencyStep(record, input.fingerprint, at);
        if (step.kind === 'run') {
          const until = at + input.runMs;
          put(key, { state: 'running', fingerprint: input.fingerprint, until, expiresAt: until });
          return step;
        }
        if (step.kind !== 'wait') return step;
        const wait = Math.min(deadline, record?.state === 'running' ? record.until : at) - at;
        if (wait <= 0) return { kind: 'in_progress' };
        await new Promise<void>((resolve) => {
          const set = waiters.get(key) ?? new Set();
          set.add(resolve);
          waiters.set(key, set);
          void sleep(wait).then(resolve);
        });
      }
    },
    async complete(key, fingerprint, response) {
      const expiresAt = now() + IDEMPOTENCY_RETENTION_MS;
      put(key, { state: 'done', fingerprint, response, expiresAt });
      wake(key);
    },
    async release(key, fingerprint) {
      const record = records.get(key);
      if (record?.state === 'running' && record.fingerprint === fingerprint) records.delete(key);
      wake(key);
    },
  };
};

/** Sessions in this process's LRU, behind the async interface Redis needs. */
const memorySessions = (): SessionStateStore => {
  const lru = createSessionStore();
  return {
    get: async (key) => lru.get(key),
    set: async (key, state) => lru.set(key, state),
    get size() {
      return lru.size;
    },
  };
};

/** One replica's state in its own memory: the default, what `npm start` runs. */
export const createMemoryState = (): RegionalState => {
  // Twice the clock skew: a nonce is remembered as long as its timestamp could be accepted.
  const nonces = createNonceCache({ ttlMs: 2 * MAX_CLOCK_SKEW_MS, capacity: 200_000 });
  const quotas = createMemoryQuotaStore();
  const sessions = memorySessions();
  const idempotency = createMemoryIdempotencyStore();
  return {
    kind: 'memory',
    quotas,
    sessions,
    nonces: { claim: async (nonce) => nonces.claim(nonce) },
    idempotency,
    admission: composedAdmission({ quotas, sessions, idempotency }),
    auditHead: undefined,
    breakerBus: undefined,
    failures: createStateFailures(),
    checkpoints: createMemoryCheckpointStore(),
    responses: createMemoryResponseStore(),
    events: createMemoryEventLog(),
    close: async () => {},
  };
};
