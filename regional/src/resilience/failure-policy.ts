import type { UpstreamError } from '@switchback/router-core';
import { isRequestFault } from './breaker-registry.ts';

/** What the runner does after a failed attempt, before anything reached the client. */
export const FAILURE_ACTIONS = ['retry', 'failover', 'stop'] as const;
export type FailureAction = (typeof FAILURE_ACTIONS)[number];

/**
 * `retry` the same target (then fail over), `failover` to the next target at once, or `stop`
 * (the client is gone, the deadline passed, or the request itself is at fault).
 */
export const actionFor = (error: UpstreamError): FailureAction => {
  switch (error.kind) {
    case 'network':
    case 'server':
    case 'rate_limit':
    // Only reaches the runner for non-streamed answers, where nothing was sent yet.
    case 'mid_stream':
      return 'retry';
    case 'ttft_timeout':
    case 'breaker_open':
      return 'failover';
    case 'client':
      return isRequestFault(error) ? 'stop' : 'failover';
    case 'aborted':
    case 'deadline':
      return 'stop';
  }
};
