import { describe, expect, it } from 'vitest';
import { createRouterMetrics, type RequestMeasure } from '../metrics/router-metrics.ts';
import { figuresFromPrometheus } from './figures-from-prometheus.ts';

const measure = (over: Partial<RequestMeasure>): RequestMeasure => ({
  workflow: 'support',
  tier: 'edge',
  provider: 'workers-ai',
  model: 'm',
  tenant: 'acme',
  outcome: 'ok',
  durationMs: 300,
  ttftMs: 100,
  policyMs: 1,
  reasons: [],
  budgetsExceeded: [],
  usage: {
    prompt_tokens: 1000,
    completion_tokens: 100,
    total_tokens: 1100,
    prompt_tokens_details: { cached_tokens: 250 },
  },
  price: { inputPerMillion: 1, cachedInputPerMillion: 0.2, outputPerMillion: 10 },
  ...over,
});

describe('the report from a Prometheus scrape of regional /metrics', () => {
  it('reads latency quantiles, cache hits, cost per success and burn from the router_ series', async () => {
    const metrics = createRouterMetrics({ snapshot: () => [] });
    // Four edge requests in the 0.25–0.5 s bucket, one regional in 1–2 s; one transient error.
    for (let i = 0; i < 4; i++) metrics.recordRequest(measure({}));
    metrics.recordRequest(
      measure({
        tier: 'regional',
        durationMs: 1500,
        attempts: 2,
        toolDecisions: ['allowed', 'denied', 'held'],
      }),
    );
    metrics.recordRequest(measure({ outcome: 'transient', usage: undefined, attempts: 3 }));
    metrics.recordRequest(measure({ outcome: 'deterministic', tier: 'none', usage: undefined }));
    metrics.recordOutcome('support', 'success');
    metrics.recordOutcome('support', 'success');
    const figures = figuresFromPrometheus('http://x/metrics', await metrics.registry.metrics());

    expect(figures.requests).toBe(7);
    // histogram_quantile: 5 of 5 edge requests (the transient one too) in (0.25, 0.5]:
    // p50 = 0.25 + 0.25 × 2.5/5, p95 = 0.25 + 0.25 × 4.75/5.
    expect(figures.latency.map((r) => [r.workflow, r.tier, r.count, r.p50Ms, r.p95Ms])).toEqual([
      ['support', 'edge', 5, 375, 487.5],
      ['support', 'regional', 1, 1500, 1950],
    ]);
    expect(figures.cacheHit).toEqual([
      { family: 'acme/support', promptTokens: 5000, cachedTokens: 1250 },
    ]);
    // Each of the five with usage costs (750 × 1 + 250 × 0.2 + 100 × 10) / 1e6 = 0.0018.
    expect([figures.toolCallsDenied, figures.retriesSucceeded]).toEqual([
      { part: 1, whole: 3 },
      { part: 1, whole: 2 },
    ]);
    expect(figures.cost.successes).toBe(2);
    expect(figures.cost.successBasis).toBe('reported outcomes');
    expect(figures.cost.tokens).toBe(5500);
    expect(figures.cost.totalUsd).toBeCloseTo(0.009, 12);
    expect(figures.burn.find((r) => r.errorClass === 'transient')).toEqual({
      errorClass: 'transient',
      count: 1,
      share: 1 / 7,
      burnRate: 1 / 6 / 0.001,
    });
  });
});
