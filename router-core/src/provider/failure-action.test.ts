import { describe, expect, it } from 'vitest';
import { failureAction } from './failure-action.ts';
import { UPSTREAM_ERROR_KINDS, UpstreamError, type UpstreamErrorKind } from './upstream-error.ts';

const error = (kind: UpstreamErrorKind, status?: number) =>
  new UpstreamError(kind, 'p', 'x', status === undefined ? {} : { status });

describe('what either tier does after a failed attempt', () => {
  it('retries transient failures, fails over on deadlines and open breakers, stops on the rest', () => {
    const actions = Object.fromEntries(
      UPSTREAM_ERROR_KINDS.map((kind) => [kind, failureAction(error(kind))]),
    );
    expect(actions).toEqual({
      network: 'retry',
      rate_limit: 'retry',
      server: 'retry',
      client: 'failover',
      ttft_timeout: 'failover',
      deadline: 'stop',
      aborted: 'stop',
      mid_stream: 'retry',
      breaker_open: 'failover',
    });
  });

  it('stops on a 4xx that blames the request, fails over on one that blames the provider', () => {
    expect(failureAction(error('client', 400))).toBe('stop');
    expect(failureAction(error('client', 422))).toBe('stop');
    expect(failureAction(error('client', 401))).toBe('failover');
    expect(failureAction(error('client', 404))).toBe('failover');
  });
});
