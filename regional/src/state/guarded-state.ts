import { RouterError } from '@switchback/router-core';
import type { AdmissionInput } from './admission.ts';
import {
  type RegionalState,
  type StateConcern,
  type StatePolicy,
  StateUnavailableError,
} from './state-store.ts';

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** 503 `upstream_unavailable` + `retry-after`: what a concern that fails closed answers. */
export const stateUnavailable = (concern: StateConcern): RouterError =>
  new RouterError(
    'upstream_unavailable',
    `The router's shared state (${concern}) is unavailable; retry shortly.`,
    { retryAfterSeconds: 1 },
  );

/** The concern whose policy decides first when an admission fails: the claim's, the quota's. */
const admissionConcern = (input: AdmissionInput): StateConcern =>
  input.claim !== undefined ? 'idempotency' : input.quota !== undefined ? 'quotas' : 'sessions';

/**
 * The state with each concern's policy for a store that fails or misses its deadline
 * (infra/DEPLOYING.md): sessions fail open (this turn is not sticky, and is not remembered); nonces
 * fail closed (the escalation gets 503: a replay could not be refused); quotas and idempotency
 * throw `StateUnavailableError` for their call sites to decide (they know the request); the audit
 * head's failures reach the audit log's `onError`; checkpoints throw `StateUnavailableError` for
 * compaction, which then sends the request whole; the admission (quota, session and claim in one
 * call) throws `StateUnavailableError` for the front door's admission, which applies each concern's
 * policy and reports. Every other failure is reported to `failures` here.
 */
export const guardState = (state: RegionalState): RegionalState => {
  const report = (concern: StateConcern, policy: StatePolicy, error: unknown) =>
    state.failures.report({ concern, policy, error: message(error) });
  const { sessions, nonces, quotas, auditHead, checkpoints, admission } = state;
  const rethrow =
    (concern: StateConcern) =>
    (error: unknown): never => {
      throw error instanceof StateUnavailableError
        ? error
        : new StateUnavailableError(concern, error);
    };
  return {
    ...state,
    quotas: {
      take: (tenantId, take) => quotas.take(tenantId, take).catch(rethrow('quotas')),
      adjust: (tenantId, adjust) => quotas.adjust(tenantId, adjust).catch(rethrow('quotas')),
    },
    sessions: {
      get: (key) =>
        sessions.get(key).catch((error: unknown) => {
          report('sessions', 'fail_open', error);
          return undefined;
        }),
      set: (key, value) =>
        sessions.set(key, value).catch((error: unknown) => report('sessions', 'fail_open', error)),
      get size() {
        return sessions.size;
      },
    },
    nonces: {
      claim: (nonce) =>
        nonces.claim(nonce).catch((error: unknown) => {
          report('nonces', 'fail_closed', error);
          throw stateUnavailable('nonces');
        }),
    },
    checkpoints: {
      get: (scope) =>
        checkpoints.get(scope).catch((error: unknown) => {
          report('checkpoints', 'fail_open', error);
          return rethrow('checkpoints')(error);
        }),
      put: (scope, checkpoint) =>
        checkpoints.put(scope, checkpoint).catch((error: unknown) => {
          report('checkpoints', 'fail_open', error);
          return rethrow('checkpoints')(error);
        }),
    },
    admission: {
      admit: (input) => admission.admit(input).catch(rethrow(admissionConcern(input))),
    },
    idempotency: {
      claim: (key, input) => state.idempotency.claim(key, input).catch(rethrow('idempotency')),
      complete: (key, fingerprint, response) =>
        state.idempotency.complete(key, fingerprint, response).catch(rethrow('idempotency')),
      release: (key, fingerprint) =>
        state.idempotency.release(key, fingerprint).catch(rethrow('idempotency')),
    },
    auditHead:
      auditHead === undefined
        ? undefined
        : {
            read: (chain) =>
              auditHead.read(chain).catch((error: unknown) => {
                report('audit', 'fail_open', error);
                throw error;
              }),
            advance: (chain, from, to, line) =>
              auditHead.advance(chain, from, to, line).catch((error: unknown) => {
                report('audit', 'fail_open', error);
                throw error;
              }),
          },
  };
};
