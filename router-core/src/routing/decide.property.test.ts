import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exampleConfig, tenantOf } from '../../test/example-config.ts';
import { classify } from '../classify/classify.ts';
import { FEATURE_NAMES } from '../classify/feature-names.ts';
import { routeModelIds } from '../config/route-entries.ts';
import type { TenantConfig } from '../config/schema.ts';
import { RouterError } from '../errors/router-error.ts';
import type { ChatCompletionRequest } from '../openai/chat-request.ts';
import { decide } from './decide.ts';
import { TIERS, type Tier } from './tiers.ts';

const WORDS = [
  'prove',
  'hello',
  'refund',
  'translate',
  'analyze',
  'the',
  'code',
  'x^2',
  '```',
  'step',
  'by',
  'thanks',
  '42',
  'émigré',
  '世界',
  'trade-offs',
  'jane@example.com',
];

const requestArb: fc.Arbitrary<ChatCompletionRequest> = fc
  .record({
    text: fc
      .array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 60 })
      .map((w) => w.join(' ')),
    model: fc.constantFrom('auto', 'auto', 'auto', 'fast', 'smart', 'gpt', 'kimi'),
    tools: fc.subarray(['get_weather', 'refund_order', 'lookup_order']),
    maxTokens: fc.option(fc.integer({ min: 1, max: 200_000 }), { nil: undefined }),
  })
  .map(({ text, model, tools, maxTokens }) => ({
    model,
    messages: [{ role: 'user' as const, content: text }],
    ...(tools.length > 0
      ? { tools: tools.map((name) => ({ type: 'function' as const, function: { name } })) }
      : {}),
    ...(maxTokens === undefined ? {} : { max_tokens: maxTokens }),
  }));

const tenantArb: fc.Arbitrary<TenantConfig> = fc
  .subarray([...TIERS], { minLength: 1 })
  .map((tiers) => ({ ...tenantOf('demo'), allowedTiers: tiers as Tier[] }));

describe('decide, for any request', () => {
  it('never chooses a target on a tier the tenant may not use, and decides the same way twice', () => {
    fc.assert(
      fc.property(requestArb, tenantArb, fc.boolean(), (request, tenant, regionalAvailable) => {
        const classification = classify(request, { config: exampleConfig, tenant });
        const run = () => {
          try {
            return decide({
              request,
              classification,
              config: exampleConfig,
              tenant,
              regionalAvailable,
            });
          } catch (error) {
            if (error instanceof RouterError) return error.code;
            throw error;
          }
        };
        const first = run();
        expect(run()).toEqual(first);
        if (typeof first === 'string') {
          expect(['invalid_request', 'policy_denied', 'upstream_unavailable']).toContain(first);
          return;
        }
        expect(tenant.allowedTiers).toContain(first.tier);
        const routeModels = routeModelIds(exampleConfig.routes[first.tier]);
        for (const target of first.targets) {
          if (!first.reasons.includes('explicit_model'))
            expect(routeModels).toContain(target.model.id);
        }
        if (!regionalAvailable) expect(first.tier).toBe('edge');
      }),
      { numRuns: 300 },
    );
  });

  it('names as drivers the up to three largest contributions of 0.1 or more, largest first, ties in feature order', () => {
    // No text verdict given: a driving `text` is named by its wording.
    const driving = {
      text: 'hard_wording',
      context: 'long_context',
      tools: 'tools_requested',
      sideEffects: 'side_effect_tools',
      structuredOutput: 'structured_output',
      outputLength: 'long_output',
      images: 'images',
      turns: 'long_conversation',
    } as const;
    const value = fc.constantFrom(0, 0.05, 0.1, 0.1, 0.2, 0.2, 0.35, 0.5);
    fc.assert(
      fc.property(
        fc.array(value, { minLength: FEATURE_NAMES.length, maxLength: FEATURE_NAMES.length }),
        (values) => {
          const contributions = Object.fromEntries(
            FEATURE_NAMES.map((name, i) => [name, values[i] ?? 0]),
          );
          const expected = FEATURE_NAMES.flatMap((name, order) => {
            const reason = (driving as Record<string, string>)[name];
            const v = contributions[name] ?? 0;
            return reason !== undefined && v >= 0.1 ? [{ reason, v, order }] : [];
          })
            .sort((a, b) => b.v - a.v || a.order - b.order)
            .slice(0, 3)
            .map((d) => d.reason);
          const request = { model: 'auto', messages: [{ role: 'user' as const, content: 'hi' }] };
          const tenant = tenantOf('demo');
          const decision = decide({
            request,
            classification: {
              score: 1,
              contributions,
              estimatedTokens: 10,
              risk: 'low',
              context: 'short',
            },
            config: exampleConfig,
            tenant,
          });
          expect(decision.reasons).toEqual(['complex_prompt', ...expected]);
        },
      ),
      { numRuns: 500 },
    );
  });
});
