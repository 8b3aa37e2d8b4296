import { describe, expect, it } from 'vitest';
import { configWith, tenantOf } from '../../test/example-config.ts';
import { RouterError } from '../errors/router-error.ts';
import { createMemoryQuotaStore } from './memory-quota-store.ts';
import { createQuotaMeter } from './quota-meter.ts';
import { formatReset, rateLimitHeaders } from './rate-limit-headers.ts';
import { admissionBucket, knownWorkflow, routedBuckets } from './request-classes.ts';

const limit = (requestsPerMinute: number, tokensPerMinute = 1_000_000) => ({
  requestsPerMinute,
  tokensPerMinute,
});

/** The example config with the standard class's quota replaced. */
const withStandard = (standard: unknown, limits: Record<string, unknown> = {}) =>
  configWith({
    quotas: { standard, premium: limit(3000) },
    limits: { maxBodyBytes: 1_048_576, maxMessages: 512, ...limits },
  });

const config = withStandard({
  default: limit(3),
  classes: { batch: limit(2), 'long-context': limit(1), regional: limit(2) },
});
const demo = tenantOf('demo', config);
// A fixed instant 10 s into a minute, so every take below falls in one window.
const T = 1_800_000_000_000 - (1_800_000_000_000 % 60_000) + 10_000;

const meterFor = (
  store: ReturnType<typeof createMemoryQuotaStore>,
  workflow: string | undefined,
  tokens = 10,
) =>
  createQuotaMeter({
    config,
    store,
    tenant: demo,
    workflow: knownWorkflow(config, workflow),
    estimatedTokens: tokens,
  });

/** Admits (and routes) `n` requests in turn; the status each would get. */
const send = async (
  store: ReturnType<typeof createMemoryQuotaStore>,
  n: number,
  workflow: (i: number) => string | undefined,
  routed?: { contextTier: 'short' | 'medium' | 'long'; tier: 'edge' | 'regional' },
): Promise<number[]> => {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const meter = meterFor(store, workflow(i));
    try {
      await meter.admit();
      if (routed !== undefined) await meter.route(routed);
      out.push(200);
    } catch (error) {
      out.push(error instanceof RouterError ? error.status : 500);
    }
  }
  return out;
};

describe('which request class a request draws from', () => {
  it.each([
    { sent: undefined, bucket: 'default' },
    { sent: 'batch', bucket: 'batch' },
    // Configured, but without a class of its own under standard: the default allowance.
    { sent: 'chat', bucket: 'default' },
    { sent: 'w17', bucket: 'default' },
    { sent: 'regional', bucket: 'default' },
  ])('x-workflow $sent draws from $bucket', ({ sent, bucket }) => {
    expect(admissionBucket(config, demo, knownWorkflow(config, sent))?.name).toBe(bucket);
  });

  it.each([
    { contextTier: 'long', tier: 'regional', buckets: ['long-context', 'regional'] },
    { contextTier: 'long', tier: 'edge', buckets: ['long-context'] },
    { contextTier: 'medium', tier: 'regional', buckets: ['regional'] },
    { contextTier: 'short', tier: 'edge', buckets: [] },
  ] as const)('a $contextTier request routed to $tier also draws from $buckets', (routed) => {
    expect(routedBuckets(config, demo, routed).map((b) => b.name)).toEqual(routed.buckets);
  });

  it('the first config shape is the default class', () => {
    const old = withStandard(limit(7));
    expect(old.quotas.standard).toEqual({ default: limit(7), classes: {} });
    expect(admissionBucket(old, tenantOf('demo', old), 'batch')).toEqual({
      name: 'default',
      requests: 7,
      tokens: 1_000_000,
    });
  });

  it('an unconfigured x-workflow is refused with 400 when limits.unknownWorkflow is reject', () => {
    const strict = withStandard(limit(7), { unknownWorkflow: 'reject' });
    expect(knownWorkflow(strict, 'batch')).toBe('batch');
    expect(knownWorkflow(strict, undefined)).toBe(undefined);
    expect(() => knownWorkflow(strict, 'w1')).toThrowError(
      "Unknown x-workflow 'w1': send one of chat, support, batch, or none.",
    );
  });
});

describe('quota windows', () => {
  it('1,300 distinct x-workflow values against a limit of 600 admit 600', async () => {
    const big = withStandard({ default: limit(600) });
    const store = createMemoryQuotaStore(() => T);
    const statuses: number[] = [];
    for (let i = 0; i < 1300; i++) {
      const meter = createQuotaMeter({
        config: big,
        store,
        tenant: tenantOf('demo', big),
        workflow: knownWorkflow(big, `w${i}`),
        estimatedTokens: 10,
      });
      statuses.push(
        await meter.admit().then(
          () => 200,
          (e: RouterError) => e.status,
        ),
      );
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(600);
    expect(statuses.filter((s) => s === 429)).toHaveLength(700);
    expect(store.size).toBe(1);
  });

  it('a spent batch class leaves the default class whole, and the other way round', async () => {
    const store = createMemoryQuotaStore(() => T);
    expect(await send(store, 3, () => 'batch')).toEqual([200, 200, 429]);
    expect(await send(store, 4, () => 'chat')).toEqual([200, 200, 200, 429]);
    expect(await send(store, 1, () => 'batch')).toEqual([429]);
  });

  it('a refusal by the long-context class gives the workflow draw back', async () => {
    const store = createMemoryQuotaStore(() => T);
    const long = { contextTier: 'long', tier: 'edge' } as const;
    expect(await send(store, 3, () => undefined, long)).toEqual([200, 429, 429]);
    // Two of the three default units were given back: two short requests still fit.
    expect(await send(store, 3, () => undefined)).toEqual([200, 200, 429]);
  });

  it('the next minute is a fresh window, and tokens count like requests', async () => {
    let now = T;
    const store = createMemoryQuotaStore(() => now);
    const tokens = withStandard({ default: limit(100, 50) });
    const meter = (estimatedTokens: number) =>
      createQuotaMeter({
        config: tokens,
        store,
        tenant: tenantOf('demo', tokens),
        workflow: undefined,
        estimatedTokens,
      });
    await meter(30).admit();
    const refused = await meter(30)
      .admit()
      .catch((e: RouterError) => e);
    expect(refused).toMatchObject({ code: 'quota_exceeded', retryAfterSeconds: 50 });
    expect((refused as RouterError).message).toBe(
      "Rate limit reached for request class 'default' on tokens per minute (TPM): limit 50, used 30, requested 30. Please try again in 50s.",
    );
    now = T + 50_000;
    const next = meter(30);
    await next.admit();
    expect(next.snapshot).toEqual({
      limitRequests: 100,
      remainingRequests: 99,
      limitTokens: 50,
      remainingTokens: 20,
      resetMs: 60_000,
    });
    // Usage beyond the estimate is charged to the window the request was admitted in.
    await next.account({ total_tokens: 45 });
    const after = meter(6);
    await expect(after.admit()).rejects.toMatchObject({ code: 'quota_exceeded' });
    expect(after.snapshot?.remainingTokens).toBe(5);
  });
});

describe('x-ratelimit headers', () => {
  it.each([
    [0, '0ms'],
    [120, '120ms'],
    [1_000, '1s'],
    [1_500, '1.5s'],
    [59_999, '59.999s'],
    [60_000, '1m0s'],
    [360_000, '6m0s'],
  ])('%i ms reads %s', (ms, text) => {
    expect(formatReset(ms)).toBe(text);
  });

  it('names the tightest class for requests and for tokens, as OpenAI does', async () => {
    const store = createMemoryQuotaStore(() => T);
    const meter = meterFor(store, 'batch');
    await meter.admit();
    await meter.route({ contextTier: 'long', tier: 'regional' });
    expect(rateLimitHeaders(meter.snapshot)).toEqual({
      'x-ratelimit-limit-requests': '1',
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-reset-requests': '50s',
      'x-ratelimit-limit-tokens': '1000000',
      'x-ratelimit-remaining-tokens': '999990',
      'x-ratelimit-reset-tokens': '50s',
    });
    expect(rateLimitHeaders(undefined)).toEqual({});
  });
});
