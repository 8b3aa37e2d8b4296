import { RouterError } from '../errors/router-error.ts';
import type { UpstreamError } from '../provider/upstream-error.ts';

/**
 * The answer once `failureAction` said `stop`: the deadline's own error (504), the client gone,
 * or a request the provider refuses as malformed (400, deterministic: retrying cannot help).
 */
export const stopError = (error: UpstreamError, totalSignal: AbortSignal): RouterError => {
  if (error.kind === 'deadline') {
    const reason: unknown = totalSignal.reason;
    return reason instanceof RouterError
      ? reason
      : new RouterError('budget_exceeded', 'The request ran out of its end-to-end budget.');
  }
  if (error.kind === 'aborted') {
    return new RouterError('upstream_unavailable', 'The client went away before the answer.');
  }
  return new RouterError('invalid_request', `The provider rejected the request: ${error.message}`, {
    cause: error,
  });
};

/**
 * Every target failed before answering, TTFT timeouts included: 503 `upstream_unavailable`
 * with the longest `retry-after` any of them asked for. A missed TTFT window is the providers'
 * unavailability, not the request's budget running out (that is `stopError`'s 504): the client
 * is told when to come back, and SDKs retry a 503 on their own.
 */
export const exhausted = (failures: readonly UpstreamError[]): RouterError => {
  const waits = failures.map((f) => f.retryAfterMs ?? 0);
  const retryAfterSeconds = Math.max(1, Math.ceil(Math.max(0, ...waits) / 1000));
  const summary = failures.map(
    (f) => `${f.providerId}: ${f.kind}${f.status ? ` ${f.status}` : ''}`,
  );
  return new RouterError(
    'upstream_unavailable',
    `No provider could answer right now (${summary.join('; ')}). Retry shortly.`,
    { retryAfterSeconds },
  );
};
