import { RouterError, sha256Hex, tenantScopedName } from '@switchback/router-core';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.ts';
import type { StoredResponse } from '../objects/idempotency-object.ts';

const KEY = /^[\x21-\x7e]{1,255}$/;

/** Headers a replay repeats: what the first answer said about itself. */
const REPLAYED_HEADERS = [
  'content-type',
  'x-router-tier',
  'x-router-provider',
  'x-router-model',
  'x-router-reasons',
] as const;

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
    if (!KEY.test(key)) {
      throw new RouterError(
        'invalid_request',
        'idempotency-key must be 1-255 printable ASCII characters.',
      );
    }
    const { tenant, rawBody, budgets } = c.var;
    const stub = c.env.IDEMPOTENCY.getByName(tenantScopedName(tenant.id, key));
    const fingerprint = await sha256Hex(`${c.req.method} ${c.req.path}\n${rawBody}`);
    const claim = await stub.claim({
      fingerprint,
      waitMs: budgets.remainingMs(),
      runMs: budgets.remainingMs(),
    });
    switch (claim.kind) {
      case 'replay': {
        const { status, headers, body } = claim.response;
        const replay = new Response(body, { status, headers });
        replay.headers.set('idempotent-replayed', 'true');
        return replay;
      }
      case 'conflict':
        throw new RouterError(
          'conflict',
          'This idempotency-key was already used with a different request body.',
        );
      case 'in_progress':
        throw new RouterError(
          'conflict',
          'A request with this idempotency-key is still being processed; retry later.',
          { retryAfterSeconds: 1 },
        );
      case 'run':
        break;
    }
    try {
      await next();
    } catch (error) {
      await stub.release();
      throw error;
    }
    const res = c.res;
    if (res.status !== 200 || res.headers.get('content-type')?.startsWith('text/event-stream')) {
      await stub.release();
      return;
    }
    const headers: [string, string][] = [];
    for (const name of REPLAYED_HEADERS) {
      const value = res.headers.get(name);
      if (value !== null) headers.push([name, value]);
    }
    const stored: StoredResponse = { status: res.status, headers, body: await res.clone().text() };
    await stub.complete({ fingerprint, response: stored });
  };
