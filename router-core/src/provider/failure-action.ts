import type { UpstreamError, UpstreamErrorKind } from './upstream-error.ts';

/** What a tier does after a failed attempt, before anything reached the client. */
export const FAILURE_ACTIONS = ['retry', 'failover', 'stop'] as const;
export type FailureAction = (typeof FAILURE_ACTIONS)[number];

/**
 * The one failure table both tiers read: `retry` the same target (a tier that does not retry
 * moves on to the next), `failover` to the next target at once, or `stop` (the client is gone,
 * the deadline passed). A `client` failure is decided by its status (`isRequestFault`).
 */
const ACTION: Record<Exclude<UpstreamErrorKind, 'client'>, FailureAction> = {
  network: 'retry',
  server: 'retry',
  rate_limit: 'retry',
  // Only reaches a runner for non-streamed answers, where nothing was sent yet.
  mid_stream: 'retry',
  ttft_timeout: 'failover',
  breaker_open: 'failover',
  aborted: 'stop',
  deadline: 'stop',
};

/** A 4xx that blames the request itself: another provider would most likely refuse it too. */
export const isRequestFault = (error: UpstreamError): boolean =>
  error.kind === 'client' && (error.status === 400 || error.status === 413 || error.status === 422);

/** The action for a failed attempt, from the one table. */
export const failureAction = (error: UpstreamError): FailureAction =>
  error.kind === 'client' ? (isRequestFault(error) ? 'stop' : 'failover') : ACTION[error.kind];
