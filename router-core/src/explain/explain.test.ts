import { describe, expect, it } from 'vitest';
import { exampleConfig, tenantOf } from '../../test/example-config.ts';
import { REPORT_PAGE } from '../../test/report-page.ts';
import { chat, tool } from '../../test/requests.ts';
import { SHIPPED_TEXT_MODEL } from '../classify/learned/shipped-model.ts';
import { explainRequest } from './explain.ts';

const ctx = { config: exampleConfig, tenant: tenantOf('demo') };

describe('explainRequest', () => {
  it('says where a simple question goes and why, without calling anything', () => {
    const e = explainRequest(chat('What is the capital of France?'), ctx);
    expect(e).toMatchObject({
      tier: 'edge',
      provider: 'workers-ai',
      model: 'glm-flash',
      modelName: '@cf/zai-org/glm-4.7-flash',
      fallbacks: [
        {
          provider: 'workers-ai',
          model: 'llama-fast',
          modelName: '@cf/meta/llama-3.1-8b-instruct-fast',
        },
        { provider: 'workers-ai', model: 'kimi', modelName: '@cf/moonshotai/kimi-k2.6' },
      ],
      reasons: ['simple_prompt'],
      rung: 'fast',
      threshold: 0.5,
      largeThreshold: 0.3,
      risk: 'low',
      riskFactors: [],
      context: 'short',
      estimatedTokens: 13,
      degradable: true,
    });
    expect(e.score).toBeLessThan(0.5);
  });

  it('names the features that made a request complex', () => {
    const e = explainRequest(
      chat(
        'Prove that there are infinitely many primes, then derive the density of primes rigorously.',
      ),
      ctx,
    );
    expect(e.tier).toBe('regional');
    expect(e.reasons.slice(0, 2)).toEqual(['complex_prompt', 'math_task']);
    expect([e.provider, e.model, e.fallbacks.map((f) => f.model)]).toEqual([
      'openai',
      'gpt',
      ['claude', 'qwen-vllm'],
    ]);
    expect(e.contributions.text).toBeGreaterThan(0.5);
  });

  it('names a puzzle in plain words by its shape, and shows the shape it read', () => {
    const e = explainRequest(
      chat(
        'Ann lies. Bob says Ann lies. Cy says Bob lies. Di says Cy tells the truth. ' +
          'Ed says Di lies. Does Ed tell the truth?',
      ),
      ctx,
    );
    expect([e.tier, e.reasons, e.text?.family]).toEqual([
      'regional',
      ['complex_prompt', 'chained_statements'],
      'chain',
    ]);
    // Six short sentences of eight for full; the logit is the shipped weights' on the values.
    const shape = e.text?.shape ?? { terse: 0, repeats: 0, chain: 0, logit: 0 };
    const d = SHIPPED_TEXT_MODEL.dense;
    expect(shape.terse).toBe(0.75);
    expect(shape.chain).toBeCloseTo(shape.terse * shape.repeats, 2);
    expect(shape.logit).toBeCloseTo(
      d.terse * shape.terse + d.repeats * shape.repeats + d.chain * shape.chain,
      2,
    );
  });

  it('shows an everyday request with no shape to speak of', () => {
    const e = explainRequest(
      chat('Write a thank-you note to my aunt for the scarf she knitted.'),
      ctx,
    );
    expect(e.text?.shape).toEqual({ terse: 0, repeats: 0, chain: 0, logit: 0 });
    expect(e.reasons).toEqual(['simple_prompt']);
  });

  it('shows a long document served by the large edge model, not escalated for its length', () => {
    const e = explainRequest(
      chat(`${REPORT_PAGE.repeat(300)}\n\nSummarise the report above.`),
      ctx,
    );
    expect([e.tier, e.rung, e.model, e.context, e.reasons.slice(0, 2)]).toEqual([
      'edge',
      'large',
      'kimi',
      'long',
      ['edge_large', 'medium_complexity'],
    ]);
    expect(e.score).toBeGreaterThanOrEqual(0.5);
    expect(e.scoreWithoutLength).toBeLessThan(0.5);
  });

  it('shows the risk policy at work', () => {
    const e = explainRequest(chat('Refund order 42', { tools: [tool('refund_order')] }), ctx);
    expect([e.tier, e.reasons.slice(0, 2), e.risk, e.riskFactors, e.degradable]).toEqual([
      'regional',
      ['high_risk', 'side_effect_tools'],
      'high',
      ['side_effect_tools'],
      false,
    ]);
  });

  it('passes session and availability through to the decision', () => {
    const e = explainRequest(chat('thanks!'), {
      ...ctx,
      session: { stickyTier: 'regional', stickyTurnsLeft: 1, turns: 4 },
      regionalAvailable: false,
    });
    expect([e.tier, e.reasons]).toEqual([
      'edge',
      ['sticky_session', 'regional_unavailable_degraded'],
    ]);
  });
});
