import {
  answerClaim,
  budgetFor,
  checkIdempotencyKey,
  idempotencyFingerprintInput,
  type RouterConfig,
  sha256Hex,
  storableAnswer,
  storableResponse,
  tenantScopedName,
} from '@switchback/router-core';
import type { Caller } from '../auth/caller.ts';
import type { Exchange, Reply } from '../http/front/exchange.ts';
import type { RequestRecord } from '../http/request-record.ts';
import { requestWorkflow } from '../quota/front-door-quota.ts';
import { stateUnavailable } from '../state/guarded-state.ts';
import type { IdempotencyStore, StateFailures } from '../state/state-store.ts';
import { ClaimAnswered, type IdempotencyTicket } from './idempotency-ticket.ts';

const isStream = (body: string): boolean => {
  try {
    return (JSON.parse(body) as { stream?: unknown } | null)?.stream === true;
  } catch {
    // Not JSON: the route answers 400 for it, with or without a key.
    return false;
  }
};

/** What a finished reply leaves for replays, or `undefined` (failed, streamed). */
const storableReply = (reply: Reply) => {
  switch (reply.kind) {
    case 'body': {
      const headers = reply.headers;
      return storableAnswer(
        reply.status,
        { get: (name) => headers[name] ?? null },
        () => reply.body,
      );
    }
    case 'web':
      return storableResponse(reply.response);
    case 'sse':
      return Promise.resolve(undefined);
  }
};

/**
 * `idempotency-key` at regional's front door, with the edge's semantics (router-core's
 * `idempotencyStep`, `answerClaim`): a repeated key from the same tenant replays the stored
 * answer, on whichever replica it lands; a duplicate while the first runs waits for it; a
 * different body is 409; streams are never stored. An escalation was deduplicated by the edge.
 *
 * The key is claimed by the chat route's admission (`record.idempotency`), in the same round trip
 * as the quota draw and the session read; a key that answers the request throws `ClaimAnswered`
 * out of the route, and the answer goes out from here, not counted as a chat request (no metrics,
 * no audit event: nothing ran). When the store cannot answer, the admission refuses with 503 +
 * `retry-after` rather than risk running twice. The answer is stored beside the reply going out,
 * not before it: a duplicate that lands in between finds the run in flight and waits for it.
 */
export const frontDoorIdempotency = (options: {
  config: RouterConfig;
  store: IdempotencyStore;
  failures: StateFailures;
}) =>
  async function frontDoorIdempotency(
    ex: Exchange,
    caller: Caller,
    record: RequestRecord,
    run: () => Promise<Reply>,
  ): Promise<Reply> {
    const header = ex.headers.get('idempotency-key');
    if (header === null || caller.mode !== 'front-door') return run();
    const { config, store, failures } = options;
    checkIdempotencyKey(header);
    const workflow = requestWorkflow(config, caller, ex.headers.get('x-workflow') ?? undefined);
    const remainingMs = () =>
      Math.max(0, budgetFor(config, workflow).totalMs - (performance.now() - record.startedAt));
    const body = await ex.body(config.limits.maxBodyBytes, remainingMs());
    if (isStream(body)) return run();
    const key = tenantScopedName(caller.tenant.id, header);
    const fingerprint = await sha256Hex(idempotencyFingerprintInput(ex.method, ex.path, body));
    const failed = (error: unknown) =>
      failures.report({
        concern: 'idempotency',
        policy: 'fail_closed',
        error: error instanceof Error ? error.message : String(error),
      });
    const ticket: IdempotencyTicket = {
      key,
      fingerprint,
      remainingMs,
      wait: () =>
        store
          .claim(key, { fingerprint, waitMs: remainingMs(), runMs: remainingMs() })
          .catch((error: unknown) => {
            failed(error);
            throw stateUnavailable('idempotency');
          }),
      claimed: false,
    };
    record.idempotency = ticket;
    let reply: Reply;
    try {
      reply = await run();
    } catch (error) {
      if (error instanceof ClaimAnswered) {
        record.chat = false;
        return { kind: 'web', response: answerClaim(error.claim) };
      }
      if (ticket.claimed) await store.release(key, fingerprint).catch(failed);
      throw error;
    }
    if (!ticket.claimed) return reply;
    // Kept: a duplicate replays (and one landing before this is stored waits for it); not kept
    // (failed, streamed): a duplicate may run. A store that fails here lets the record of the run
    // lapse at its deadline, so a late duplicate runs again (reported, not hidden).
    void storableReply(reply)
      .then((stored) =>
        stored === undefined
          ? store.release(key, fingerprint)
          : store.complete(key, fingerprint, stored),
      )
      .catch(failed);
    return reply;
  };
