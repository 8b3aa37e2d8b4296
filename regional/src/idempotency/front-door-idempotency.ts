import {
  answerClaim,
  budgetFor,
  checkIdempotencyKey,
  idempotencyFingerprintInput,
  type RouterConfig,
  sha256Hex,
  storableResponse,
  tenantScopedName,
} from '@switchback/router-core';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../http/app-env.ts';
import { readBodyText } from '../http/read-body.ts';
import { requestWorkflow } from '../quota/front-door-quota.ts';
import { stateUnavailable } from '../state/guarded-state.ts';
import type { IdempotencyStore, StateFailures } from '../state/state-store.ts';

const isStream = (body: string): boolean => {
  try {
    return (JSON.parse(body) as { stream?: unknown } | null)?.stream === true;
  } catch {
    // Not JSON: the route answers 400 for it, with or without a key.
    return false;
  }
};

/**
 * `idempotency-key` at regional's front door, with the edge's semantics (router-core's
 * `idempotencyStep`, `answerClaim`): a repeated key from the same tenant replays the stored
 * answer, on whichever replica it lands; a duplicate while the first runs waits for it; a
 * different body is 409; streams are never stored. An escalation was deduplicated by the edge.
 * When the store cannot answer, 503 + `retry-after` rather than risk running twice.
 */
export const frontDoorIdempotency = (options: {
  config: RouterConfig;
  store: IdempotencyStore;
  failures: StateFailures;
}): MiddlewareHandler<AppEnv> =>
  async function frontDoorIdempotency(c, next) {
    const header = c.req.header('idempotency-key');
    const { caller, record } = c.var;
    if (header === undefined || caller.mode !== 'front-door') return next();
    const { config, store, failures } = options;
    checkIdempotencyKey(header);
    const workflow = requestWorkflow(config, caller, c.req.header('x-workflow'));
    const remainingMs = () =>
      Math.max(0, budgetFor(config, workflow).totalMs - (performance.now() - record.startedAt));
    const body = await readBodyText(c.req.raw.clone(), config.limits.maxBodyBytes, remainingMs());
    if (isStream(body)) return next();
    const key = tenantScopedName(caller.tenant.id, header);
    const fingerprint = await sha256Hex(
      idempotencyFingerprintInput(c.req.method, c.req.path, body),
    );
    const failed = (error: unknown) =>
      failures.report({
        concern: 'idempotency',
        policy: 'fail_closed',
        error: error instanceof Error ? error.message : String(error),
      });
    const claim = await store
      .claim(key, { fingerprint, waitMs: remainingMs(), runMs: remainingMs() })
      .catch((error: unknown) => {
        failed(error);
        throw stateUnavailable('idempotency');
      });
    if (claim.kind !== 'run') return answerClaim(claim);
    try {
      await next();
    } catch (error) {
      await store.release(key, fingerprint).catch(failed);
      throw error;
    }
    const stored = await storableResponse(c.res);
    // Not kept: a duplicate may run; kept: it replays. A store that fails here lets the record
    // of the run lapse at its deadline, so a late duplicate runs again (reported, not hidden).
    if (stored === undefined) await store.release(key, fingerprint).catch(failed);
    else await store.complete(key, fingerprint, stored).catch(failed);
  };
