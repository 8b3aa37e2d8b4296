/** How an upstream call failed; decides retry, failover and the `router_upstream_errors_total` label. */
export const UPSTREAM_ERROR_KINDS = [
  'network',
  'rate_limit',
  'server',
  'client',
  'ttft_timeout',
  'deadline',
  'aborted',
  'mid_stream',
  'breaker_open',
] as const;
export type UpstreamErrorKind = (typeof UPSTREAM_ERROR_KINDS)[number];

/** A provider failure in provider-neutral terms; adapters throw only this. */
export class UpstreamError extends Error {
  readonly kind: UpstreamErrorKind;
  readonly providerId: string;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(
    kind: UpstreamErrorKind,
    providerId: string,
    message: string,
    details: { status?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'UpstreamError';
    this.kind = kind;
    this.providerId = providerId;
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
  }
}
