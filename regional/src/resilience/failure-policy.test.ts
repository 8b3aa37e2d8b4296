import {
  UPSTREAM_ERROR_KINDS,
  UpstreamError,
  type UpstreamErrorKind,
} from '@switchback/router-core';
import { describe, expect, it } from 'vitest';
import { countsAgainstProvider } from './breaker-registry.ts';
import { actionFor } from './failure-policy.ts';

const error = (kind: UpstreamErrorKind, status?: number) =>
  new UpstreamError(kind, 'p', 'x', status === undefined ? {} : { status });

describe('what the runner does after a failed attempt', () => {
  it('retries transient failures, fails over on deadlines and open breakers, stops on the rest', () => {
    const actions = Object.fromEntries(
      UPSTREAM_ERROR_KINDS.map((kind) => [kind, actionFor(error(kind))]),
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
    expect(actionFor(error('client', 400))).toBe('stop');
    expect(actionFor(error('client', 422))).toBe('stop');
    expect(actionFor(error('client', 401))).toBe('failover');
    expect(actionFor(error('client', 404))).toBe('failover');
  });

  it('never counts the client leaving, the deadline or a bad request against the provider', () => {
    expect(countsAgainstProvider(error('aborted'))).toBe(false);
    expect(countsAgainstProvider(error('deadline'))).toBe(false);
    expect(countsAgainstProvider(error('client', 400))).toBe(false);
    expect(countsAgainstProvider(error('client', 401))).toBe(true);
    expect(countsAgainstProvider(error('ttft_timeout'))).toBe(true);
    expect(countsAgainstProvider(error('server', 503))).toBe(true);
  });
});
