import {
  affinityKey,
  type ChatCompletionRequest,
  type QuotaVerdict,
  sessionKeyOf,
} from '@switchback/router-core';
import type { Caller } from '../auth/caller.ts';
import type { SessionRead } from '../chat/session-read.ts';
import type { RequestRecord } from '../http/request-record.ts';
import { ClaimAnswered } from '../idempotency/idempotency-ticket.ts';
import type { FrontDoorQuota } from '../quota/front-door-quota.ts';
import type { Admission, AdmissionStore, QuotaOutcome } from '../state/admission.ts';
import { stateUnavailable } from '../state/guarded-state.ts';
import { type StateFailures, StateUnavailableError } from '../state/state-store.ts';

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

const drawnAs = (outcome: QuotaOutcome): Promise<QuotaVerdict> =>
  'verdict' in outcome ? Promise.resolve(outcome.verdict) : Promise.reject(outcome.error);

/**
 * A front-door request's admission, once it is validated: its quota drawn (`quota`), its session
 * read and its `idempotency-key` claimed (`record.idempotency`), in one call to the state (on
 * Redis one script, so the request waits for one reply). A key held by another run or answer
 * throws `ClaimAnswered` (nothing drawn); a duplicate of a run in flight waits for it first, then
 * runs (a second round trip, on that rare path) if the run ended unanswered. A refused draw is
 * 429 and leaves the key free. When the state cannot answer: with a key, 503 (idempotency fails
 * closed); else the quota's policy, and the session is read as new (it fails open). Each failure
 * is reported to `failures`. None for an escalation: the edge admitted it.
 */
export const admitFrontDoor = async (
  deps: { admission: AdmissionStore; affinitySecret: string; stateFailures?: StateFailures },
  input: {
    caller: Caller;
    request: ChatCompletionRequest;
    headers: { get(name: string): string | null };
    quota: FrontDoorQuota | undefined;
    record: Pick<RequestRecord, 'idempotency'>;
  },
): Promise<SessionRead | undefined> => {
  const { caller, quota } = input;
  if (caller.mode !== 'front-door') return undefined;
  const sessionKey = sessionKeyOf(input.request, input.headers);
  const sessionId =
    sessionKey === undefined
      ? undefined
      : await affinityKey(caller.tenant.id, sessionKey, deps.affinitySecret);
  const ticket = input.record.idempotency;
  const report = (concern: 'idempotency' | 'sessions', error: unknown) =>
    deps.stateFailures?.report({
      concern,
      policy: concern === 'idempotency' ? 'fail_closed' : 'fail_open',
      error: message(error),
    });

  const admit = async (claiming: boolean): Promise<Admission> => {
    const remaining = ticket?.remainingMs() ?? 0;
    const claim =
      claiming && ticket !== undefined
        ? { key: ticket.key, fingerprint: ticket.fingerprint, runMs: remaining, waitMs: remaining }
        : undefined;
    try {
      return await deps.admission.admit({
        tenantId: caller.tenant.id,
        quota: quota?.draw,
        sessionId,
        claim,
      });
    } catch (error) {
      if (claim !== undefined) {
        report('idempotency', error);
        throw stateUnavailable('idempotency');
      }
      if (sessionId !== undefined) report('sessions', error);
      const failed =
        error instanceof StateUnavailableError ? error : new StateUnavailableError('quotas', error);
      const outcome = quota?.draw === undefined ? undefined : { error: failed };
      return { kind: 'drawn', quota: outcome, claimed: false, session: undefined };
    }
  };

  let admission = await admit(ticket?.claimed === false);
  if (admission.kind === 'held') {
    const answered = admission.claim.kind === 'wait' ? await ticket?.wait() : admission.claim;
    if (answered === undefined) throw new Error('A key was held for a request without one.');
    if (answered.kind !== 'run') throw new ClaimAnswered(answered);
    // The run in flight ended unanswered and this request holds the key now.
    if (ticket !== undefined) ticket.claimed = true;
    admission = await admit(false);
    if (admission.kind === 'held') throw new Error('A held key came back without a claim.');
  }
  if (ticket !== undefined && admission.claimed) ticket.claimed = true;
  await quota?.admit(admission.quota && drawnAs(admission.quota));
  return { sessionId, session: admission.session };
};
