import type {
  IdempotencyClaim,
  QuotaStore,
  QuotaTake,
  QuotaVerdict,
  SessionState,
} from '@switchback/router-core';
import type { IdempotencyStore, SessionStateStore } from './state-store.ts';

/** What a front-door request asks of the state before it is decided. */
export type AdmissionInput = {
  tenantId: string;
  /** The draw from the request's workflow class; none when its tenant class has no quota. */
  quota: QuotaTake | undefined;
  /** The request's tenant-namespaced session id; none without a session key. */
  sessionId: string | undefined;
  /** The `idempotency-key` claim (non-streamed, front door); the quota is drawn only if it runs. */
  claim: { key: string; fingerprint: string; runMs: number; waitMs: number } | undefined;
};

/** A quota draw that was answered, or the store's failure for the quota's own policy. */
export type QuotaOutcome = { verdict: QuotaVerdict } | { error: unknown };

/**
 * What the state answered: the key was held by another run or answer (nothing drawn, nothing
 * claimed; `wait`: a run with the same body is in flight and the store did not wait for it), or
 * the quota drawn (or refused, or failed) and, when asked and not refused, the key claimed.
 */
export type Admission = { session: SessionState | undefined } & (
  | { kind: 'held'; claim: Exclude<IdempotencyClaim, { kind: 'run' }> | { kind: 'wait' } }
  | { kind: 'drawn'; quota: QuotaOutcome | undefined; claimed: boolean }
);

/**
 * The quota draw, the session read and the idempotency claim of one request, together: on Redis
 * one script, so the request waits for one reply. A failure of the whole (Redis down, deadline)
 * rejects; then nothing was claimed.
 */
export interface AdmissionStore {
  admit(input: AdmissionInput): Promise<Admission>;
}

/**
 * The admission over separate stores (memory, or a quota store of its own): the claim (waiting
 * in process for a run in flight), then the draw if it runs, a refused draw releasing the claim;
 * the session read beside them. A failed draw is the quota's to decide, and keeps the claim.
 */
export const composedAdmission = (stores: {
  quotas: QuotaStore;
  sessions: SessionStateStore;
  idempotency: IdempotencyStore;
}): AdmissionStore => ({
  async admit(input) {
    const session =
      input.sessionId === undefined ? undefined : stores.sessions.get(input.sessionId);
    // Settled before anything can reject, so a failed read never leaves a claim behind.
    const reading = session?.then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    const { claim, quota } = input;
    const held = claim === undefined ? undefined : await stores.idempotency.claim(claim.key, claim);
    const read = async () => {
      const settled = await reading;
      if (settled !== undefined && 'error' in settled) throw settled.error;
      return settled?.value;
    };
    if (held !== undefined && held.kind !== 'run') {
      return { kind: 'held', claim: held, session: await read() };
    }
    const outcome: QuotaOutcome | undefined =
      quota === undefined
        ? undefined
        : await stores.quotas.take(input.tenantId, quota).then(
            (verdict) => ({ verdict }),
            (error: unknown) => ({ error }),
          );
    const refused = outcome !== undefined && 'verdict' in outcome && !outcome.verdict.ok;
    const release = () =>
      claim === undefined
        ? Promise.resolve()
        : stores.idempotency.release(claim.key, claim.fingerprint);
    if (refused) await release();
    try {
      return {
        kind: 'drawn',
        quota: outcome,
        claimed: claim !== undefined && !refused,
        session: await read(),
      };
    } catch (error) {
      if (!refused) await release().catch(() => {});
      throw error;
    }
  },
});
