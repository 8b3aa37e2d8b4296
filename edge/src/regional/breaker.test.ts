import { describe, expect, it } from 'vitest';
import { Breaker } from './breaker.ts';

const config = {
  errorThresholdPercentage: 50,
  volumeThreshold: 4,
  resetTimeoutMs: 5_000,
  rollingCountTimeoutMs: 10_000,
};

const clock = () => {
  let now = 0;
  return { now: () => now, advance: (ms: number) => (now += ms) };
};

describe('the regional breaker', () => {
  it('stays closed below the volume threshold, opens at the error percentage', () => {
    const time = clock();
    const breaker = new Breaker(config, time.now);
    breaker.failure();
    breaker.failure();
    breaker.success();
    expect(breaker.state).toBe('closed');
    breaker.failure();
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire()).toBe(false);
    expect(breaker.retryAfterMs()).toBe(5_000);
  });

  it('lets one probe through after the reset timeout; its success closes the breaker', () => {
    const time = clock();
    const breaker = new Breaker({ ...config, volumeThreshold: 1 }, time.now);
    breaker.failure();
    time.advance(5_000);
    expect(breaker.state).toBe('half_open');
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false);
    breaker.success();
    expect(breaker.state).toBe('closed');
  });

  it('re-opens for a full reset timeout when the probe fails', () => {
    const time = clock();
    const breaker = new Breaker({ ...config, volumeThreshold: 1 }, time.now);
    breaker.failure();
    time.advance(5_000);
    breaker.tryAcquire();
    breaker.failure();
    expect(breaker.state).toBe('open');
    expect(breaker.retryAfterMs()).toBe(5_000);
  });

  it('forgets failures older than the rolling window', () => {
    const time = clock();
    const breaker = new Breaker(config, time.now);
    for (let i = 0; i < 3; i++) breaker.failure();
    time.advance(10_001);
    breaker.failure();
    expect(breaker.state).toBe('closed');
  });
});
