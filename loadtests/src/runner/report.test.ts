import { describe, expect, it } from 'vitest';
import { breakerStates } from './breaker-sampler.ts';
import { renderReport } from './report.ts';
import { SCENARIOS } from './scenarios.ts';

const summary = {
  metrics: {
    router_transient_errors: {
      type: 'rate' as const,
      values: { rate: 0.0005 },
      thresholds: { 'rate<0.001': { ok: true } },
    },
    'router_ttft{workflow:chat}': {
      type: 'trend' as const,
      values: { 'p(95)': 1234.5, med: 100 },
      thresholds: { 'p(95)<1000': { ok: false } },
    },
    routed_edge: { type: 'counter' as const, values: { count: 30 } },
    routed_regional: { type: 'counter' as const, values: { count: 10 } },
  },
};

describe('the load-test report', () => {
  const { markdown, ok } = renderReport(summary, {
    scenario: SCENARIOS.outage,
    rate: 10,
    durationS: 20,
    baseUrl: 'http://127.0.0.1:8787',
    machine: '2 cores',
    startedAt: '2026-11-23T00:00:00Z',
    faults: ['error 503 on openai from 5 s to 15 s'],
    breakerEvents: [{ t: 6.1, breaker: 'openai/gpt', state: 'open' }],
    chartFile: 'latency.svg',
  });

  it('fails and names the SLO that was breached', () => {
    expect(ok).toBe(false);
    expect(markdown).toContain('# Load test: outage — FAIL');
    expect(markdown).toContain('| router_ttft{workflow:chat} | p(95)<1000 | 1234.50 ms | FAIL |');
    expect(markdown).toContain('| router_transient_errors | rate<0.001 | 0.050 % | pass |');
  });

  it('shows the error budget used, the routing share and the breaker timeline', () => {
    expect(markdown).toContain('| transient (5xx, 504, network) | 0.050 % | 0.100 % | 50.0 % |');
    expect(markdown).toContain('| edge | 30 | 75.0 % |');
    expect(markdown).toContain('| 6.1 | openai/gpt | open |');
  });
});

describe('breaker states from /metrics', () => {
  it('reads router_breaker_state per provider and model', () => {
    const page = [
      '# TYPE router_breaker_state gauge',
      'router_breaker_state{provider="openai",model="gpt",backend="b0"} 2',
      'router_breaker_state{provider="bedrock",model="claude",backend="b0"} 0',
      'router_breaker_state{provider="vllm",model="qwen",backend="b0"} 1',
    ].join('\n');
    expect([...breakerStates(page)]).toEqual([
      ['openai/gpt', 'open'],
      ['bedrock/claude', 'closed'],
      ['vllm/qwen', 'half_open'],
    ]);
  });
});
