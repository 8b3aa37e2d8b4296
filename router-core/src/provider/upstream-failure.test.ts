import { describe, expect, it } from 'vitest';
import { kindForStatus, retryAfterMs } from './upstream-failure.ts';

const headers = (entries: Record<string, string>) => new Headers(entries);

describe('retryAfterMs', () => {
  it('reads retry-after-ms first, then retry-after seconds, then an HTTP date', () => {
    expect(retryAfterMs(headers({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250);
    expect(retryAfterMs(headers({ 'retry-after': '2' }))).toBe(2000);
    expect(retryAfterMs(headers({ 'retry-after': '0.5' }))).toBe(500);
    const now = Date.parse('2026-11-23T12:00:00Z');
    expect(retryAfterMs(headers({ 'retry-after': 'Mon, 23 Nov 2026 12:00:03 GMT' }), now)).toBe(
      3000,
    );
  });

  it('ignores what it cannot read and caps absurd waits at ten minutes', () => {
    expect(retryAfterMs(headers({}))).toBeUndefined();
    expect(retryAfterMs(headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(retryAfterMs(undefined)).toBeUndefined();
    expect(retryAfterMs(headers({ 'retry-after': '86400' }))).toBe(600_000);
  });
});

describe('kindForStatus', () => {
  it.each([
    [429, 'rate_limit'],
    [500, 'server'],
    [503, 'server'],
    [408, 'server'],
    [400, 'client'],
    [401, 'client'],
    [404, 'client'],
  ] as const)('%i is %s', (status, kind) => {
    expect(kindForStatus(status)).toBe(kind);
  });
});
