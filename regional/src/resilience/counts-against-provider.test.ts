import { UpstreamError, type UpstreamErrorKind } from '@switchback/router-core';
import { describe, expect, it } from 'vitest';
import { countsAgainstProvider } from './breaker-registry.ts';

const error = (kind: UpstreamErrorKind, status?: number) =>
  new UpstreamError(kind, 'p', 'x', status === undefined ? {} : { status });

describe('what a provider breaker counts', () => {
  it('never counts the client leaving, the deadline or a bad request against the provider', () => {
    expect(countsAgainstProvider(error('aborted'))).toBe(false);
    expect(countsAgainstProvider(error('deadline'))).toBe(false);
    expect(countsAgainstProvider(error('client', 400))).toBe(false);
    expect(countsAgainstProvider(error('client', 401))).toBe(true);
    expect(countsAgainstProvider(error('ttft_timeout'))).toBe(true);
    expect(countsAgainstProvider(error('server', 503))).toBe(true);
  });
});
