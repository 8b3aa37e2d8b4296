import {
  answerClaim,
  checkIdempotencyKey,
  idempotencyFingerprintInput,
  sha256Hex,
  storableResponse,
  tenantScopedName,
} from '@switchback/router-core';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.ts';

/**
 * `idempotency-key`: a repeated key from the same tenant replays the stored answer (marked
 * `idempotent-replayed: true`) instead of running twice; a duplicate arriving while the first is
 * running waits for it; the same key with a different body is 409. Non-streaming requests only:
 * a stream is never stored, so a streaming request with a key runs normally.
 */
export const idempotency = (): MiddlewareHandler<AppEnv> =>
  async function idempotency(c, next) {
    const key = c.var.headers.get('idempotency-key');
    if (key === null || c.var.body.stream === true) return next();
    checkIdempotencyKey(key);
    const { tenant, rawBody, budgets } = c.var;
    const stub = c.env.IDEMPOTENCY.getByName(tenantScopedName(tenant.id, key));
    const fingerprint = await sha256Hex(
      idempotencyFingerprintInput(c.req.method, c.req.path, rawBody),
    );
    const claim = await stub.claim({
      fingerprint,
      waitMs: budgets.remainingMs(),
      runMs: budgets.remainingMs(),
    });
    if (claim.kind !== 'run') return answerClaim(claim);
    try {
      await next();
    } catch (error) {
      await stub.release();
      throw error;
    }
    const stored = await storableResponse(c.res);
    if (stored === undefined) {
      await stub.release();
      return;
    }
    await stub.complete({ fingerprint, response: stored });
  };
