import { routerConfigSchema } from '@switchback/router-core';
import { describe, expect, it } from 'vitest';
import { SCENARIOS } from './scenarios.ts';
import { thresholdsFor } from './thresholds.ts';

const config = routerConfigSchema.parse({
  version: 't',
  tenants: [{ id: 'demo', keys: [{ id: 'k', sha256: 'a'.repeat(64) }] }],
  providers: [{ id: 'p', kind: 'openai' }],
  models: [
    {
      id: 'm',
      provider: 'p',
      name: 'm',
      contextWindow: 1000,
      price: { inputPerMillion: 1, cachedInputPerMillion: 1, outputPerMillion: 1 },
    },
  ],
  routes: { edge: { models: ['m'] }, regional: { models: ['m'] } },
  budgets: {
    default: { ttftMs: 2000, totalMs: 30000, policyMs: 5 },
    workflows: { chat: { ttftMs: 800, totalMs: 9000, policyMs: 3 } },
  },
});

describe('SLO thresholds from the config budgets', () => {
  it('gives each workflow of the mix its own TTFT, end-to-end and policy objective', () => {
    const t = thresholdsFor(config, SCENARIOS.steady);
    expect(t['router_ttft{workflow:chat}']).toEqual(['p(95)<800']);
    expect(t['router_e2e{workflow:chat}']).toEqual(['p(95)<9000']);
    expect(t['router_policy{workflow:chat}']).toEqual(['p(99)<3']);
    // batch has no budget of its own: the default applies.
    expect(t['router_ttft{workflow:batch}']).toEqual(['p(95)<2000']);
    expect(t.router_transient_errors).toEqual(['rate<0.001']);
    // A tier serves chat and batch: its bound is the looser of the two budgets.
    expect(t['router_ttft{tier:regional}']).toEqual(['p(95)<2000']);
    expect(t.router_policy).toEqual(['p(99)<5']);
    expect(t.router_quota_rejections).toEqual(['rate<=0']);
  });

  it('lets the quota scenario reject the noisy tenant but not the quiet one', () => {
    const t = thresholdsFor(config, SCENARIOS.quota);
    expect(t.router_quota_rejections).toBeUndefined();
    expect(t['router_quota_rejections{tenant:acme}']).toEqual(['rate<=0']);
    expect(t['router_quota_rejections{tenant:demo}']).toEqual(['rate>0.2']);
  });
});
