import { describe, expect, it } from 'vitest';
import { exampleConfig, tenantOf } from '../../test/example-config.ts';
import type { Classification } from '../routing/contracts.ts';
import { decide } from '../routing/decide.ts';
import { createMemoryOverrideStore } from './route-override.ts';

const demo = tenantOf('demo');
const simple: Classification = {
  score: 0.05,
  contributions: {},
  estimatedTokens: 20,
  risk: 'low',
  riskFactors: [],
  context: 'short',
};
const ask = { model: 'auto', messages: [{ role: 'user' as const, content: 'hi' }] };
const base = { request: ask, classification: simple, config: exampleConfig, tenant: demo };

describe('an operator’s forced route', () => {
  it('sends a simple ask regional, or to one model, with reason override', () => {
    expect(decide(base)).toMatchObject({ tier: 'edge', reasons: ['simple_prompt'] });
    const tier = decide({ ...base, override: { kind: 'force_tier', tier: 'regional' } });
    expect([tier.tier, tier.reasons]).toEqual(['regional', ['override']]);
    const model = decide({ ...base, override: { kind: 'force_model', model: 'claude' } });
    expect([model.tier, model.targets.map((t) => t.model.id), model.reasons]).toEqual([
      'regional',
      ['claude'],
      ['override'],
    ]);
  });

  it('yields to an escalation’s pinned tier, which keeps its own reason', () => {
    const escalated = decide({
      ...base,
      forceTier: 'regional',
      override: { kind: 'force_tier', tier: 'edge' },
    });
    expect([escalated.tier, escalated.reasons]).toEqual(['regional', ['explicit_tier']]);
  });

  it('is kept per tenant until it lapses, a new one replacing the old', async () => {
    const store = createMemoryOverrideStore();
    const at = 1_000_000;
    await store.set({
      kind: 'force_tier',
      tier: 'regional',
      tenant: 'demo',
      operator: 'ops-a',
      expiresAt: at + 60_000,
    });
    await store.set({
      kind: 'force_model',
      model: 'claude',
      tenant: 'demo',
      operator: 'ops-b',
      expiresAt: at + 30_000,
    });
    expect(await store.get('acme', at)).toBeUndefined();
    expect(await store.get('demo', at + 29_999)).toMatchObject({
      model: 'claude',
      operator: 'ops-b',
    });
    expect(await store.get('demo', at + 30_000)).toBeUndefined();
    expect(store.size).toBe(0);
  });
});
