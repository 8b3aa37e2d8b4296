import { describe, expect, it } from 'vitest';
import { configWith, exampleConfig, tenantOf } from '../../test/example-config.ts';
import { chat, tool } from '../../test/requests.ts';
import { classify } from '../classify/classify.ts';
import type { RouterConfig, TenantConfig } from '../config/schema.ts';
import { RouterError } from '../errors/router-error.ts';
import type { ChatCompletionRequest } from '../openai/chat-request.ts';
import type { Classification, SessionState, TextFamily, TextVerdictSummary } from './contracts.ts';
import { decide, rungOf } from './decide.ts';
import type { ForcedRoute } from './forced-route.ts';
import { REASON_CODES, type ReasonCode, withFallbackReason } from './reason-codes.ts';
import type { Rung, Tier } from './tiers.ts';

/** The example without its large edge model: the two-tier router these cases were written for. */
const twoTier = configWith({
  routes: {
    edge: { models: ['glm-flash', 'llama-fast'] },
    regional: { models: ['gpt', 'claude', 'qwen-vllm'] },
  },
});

const demo = tenantOf('demo');
const acme = tenantOf('acme');

const textVerdict = (family: TextFamily | undefined): TextVerdictSummary => ({
  probability: 0.9,
  ngramLogit: 1,
  denseLogit: 1,
  family,
});

const verdict = (over: Partial<Classification> = {}): Classification => ({
  score: 0.1,
  contributions: {},
  estimatedTokens: 100,
  risk: 'low',
  riskFactors: [],
  context: 'short',
  ...over,
});

type Case = {
  name: string;
  reason: ReasonCode;
  request?: ChatCompletionRequest;
  classification?: Partial<Classification>;
  tenant?: TenantConfig;
  config?: RouterConfig;
  session?: SessionState;
  regionalAvailable?: boolean;
  forceTier?: Tier;
  override?: ForcedRoute;
  tier: Tier;
  models: string[];
  reasons: ReasonCode[];
  /** The ladder's three-way verdict. */
  rung?: Rung;
};

const withTiers = (tiers: Tier[]): TenantConfig => ({ ...demo, allowedTiers: tiers });
const image = chat([
  {
    role: 'user',
    content: [
      { type: 'text', text: 'What is in this picture?' },
      { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
    ],
  },
]);

const cases: Case[] = [
  {
    name: 'a low score stays on the edge',
    reason: 'simple_prompt',
    tier: 'edge',
    models: ['glm-flash', 'llama-fast'],
    reasons: ['simple_prompt'],
  },
  {
    name: 'a score at the threshold goes regional',
    reason: 'complex_prompt',
    classification: { score: 0.5 },
    tier: 'regional',
    models: ['gpt', 'claude', 'qwen-vllm'],
    reasons: ['complex_prompt'],
  },
  {
    name: 'a long context names itself',
    reason: 'long_context',
    classification: { score: 0.7, contributions: { context: 0.6, text: 0.1 } },
    tier: 'regional',
    models: ['gpt', 'claude', 'qwen-vllm'],
    reasons: ['complex_prompt', 'long_context', 'hard_wording'],
  },
  {
    name: 'a hard ask no cue family explains names its wording',
    reason: 'hard_wording',
    classification: { score: 0.8, contributions: { text: 0.8 }, text: textVerdict(undefined) },
    tier: 'regional',
    models: ['gpt', 'claude', 'qwen-vllm'],
    reasons: ['complex_prompt', 'hard_wording'],
  },
  {
    name: 'reasoning cues behind a hard ask name themselves',
    reason: 'reasoning_task',
    classification: { score: 0.6, contributions: { text: 0.6 }, text: textVerdict('reasoning') },
    tier: 'regional',
    models: ['gpt', 'claude', 'qwen-vllm'],
    reasons: ['complex_prompt', 'reasoning_task'],
  },
  {
    name: 'code behind a hard ask names itself',
    reason: 'code_task',
    classification: { score: 0.55, contributions: { text: 0.55 }, text: textVerdict('code') },
    tier: 'regional',
    models: ['gpt', 'claude', 'qwen-vllm'],
    reasons: ['complex_prompt', 'code_task'],
  },
  {
    name: 'maths behind a hard ask names itself',
    reason: 'math_task',
    classification: { score: 0.55, contributions: { text: 0.55 }, text: textVerdict('math') },
    tier: 'regional',
    models: ['gpt', 'claude', 'qwen-vllm'],
    reasons: ['complex_prompt', 'math_task'],
  },
  {
    name: 'multi-step instructions behind a hard ask name themselves',
    reason: 'multi_step',
    classification: { score: 0.5, contributions: { text: 0.5 }, text: textVerdict('multiStep') },
    tier: 'regional',
    models: ['gpt', 'claude', 'qwen-vllm'],
    reasons: ['complex_prompt', 'multi_step'],
  },
  {
    name: 'a chain of short statements behind a hard ask names its shape',
    reason: 'chained_statements',
    classification: { score: 0.6, contributions: { text: 0.6 }, text: textVerdict('chain') },
    tier: 'regional',
    models: ['gpt', 'claude', 'qwen-vllm'],
    reasons: ['complex_prompt', 'chained_statements'],
  },
  {
    name: 'many tools name themselves',
    reason: 'tools_requested',
    classification: {
      score: 0.5,
      contributions: { tools: 0.2, text: 0.3 },
      text: textVerdict('math'),
    },
    tier: 'regional',
    models: ['gpt', 'claude', 'qwen-vllm'],
    reasons: ['complex_prompt', 'math_task', 'tools_requested'],
  },
  {
    name: 'structured output names itself',
    reason: 'structured_output',
    classification: {
      score: 0.5,
      contributions: { structuredOutput: 0.1, text: 0.4 },
      text: textVerdict('code'),
    },
    tier: 'regional',
    models: ['gpt', 'claude', 'qwen-vllm'],
    reasons: ['complex_prompt', 'code_task', 'structured_output'],
  },
  {
    name: 'a long reply names itself',
    reason: 'long_output',
    classification: { score: 0.5, contributions: { outputLength: 0.2, text: 0.3 } },
    tier: 'regional',
    models: ['gpt', 'claude', 'qwen-vllm'],
    reasons: ['complex_prompt', 'hard_wording', 'long_output'],
  },
  {
    name: 'a long conversation names itself',
    reason: 'long_conversation',
    classification: {
      score: 0.5,
      contributions: { turns: 0.1, text: 0.4 },
      text: textVerdict('reasoning'),
    },
    tier: 'regional',
    models: ['gpt', 'claude', 'qwen-vllm'],
    reasons: ['complex_prompt', 'reasoning_task', 'long_conversation'],
  },
  {
    name: 'a prompt larger than every edge window goes regional',
    reason: 'exceeds_edge_context',
    classification: { estimatedTokens: 140_000, context: 'long' },
    tier: 'regional',
    models: ['gpt', 'claude'],
    reasons: ['exceeds_edge_context'],
  },
  {
    name: 'an image goes to a regional model that can see',
    reason: 'images',
    request: image,
    tier: 'regional',
    models: ['gpt', 'claude'],
    reasons: ['images'],
  },
  {
    name: 'side-effecting tools are high risk and go regional',
    reason: 'side_effect_tools',
    classification: { risk: 'high', riskFactors: ['side_effect_tools'] },
    tier: 'regional',
    models: ['gpt', 'claude', 'qwen-vllm'],
    reasons: ['high_risk', 'side_effect_tools'],
  },
  {
    name: 'escalated risk says so',
    reason: 'high_risk',
    classification: { risk: 'high', riskFactors: ['pii', 'sensitive_class'] },
    tier: 'regional',
    models: ['gpt', 'claude', 'qwen-vllm'],
    reasons: ['high_risk', 'pii_detected', 'sensitive_tenant'],
  },
  {
    name: 'PII escalates where medium risk is escalated',
    reason: 'pii_detected',
    config: configWith({ risk: { escalate: ['medium', 'high'] } }),
    classification: { risk: 'medium', riskFactors: ['pii'] },
    tier: 'regional',
    models: ['gpt', 'claude', 'qwen-vllm'],
    reasons: ['high_risk', 'pii_detected'],
  },
  {
    name: 'a sensitive tenant class escalates where medium risk is escalated',
    reason: 'sensitive_tenant',
    config: configWith({ risk: { escalate: ['medium', 'high'] } }),
    classification: { risk: 'medium', riskFactors: ['sensitive_class'] },
    tier: 'regional',
    models: ['gpt', 'claude', 'qwen-vllm'],
    reasons: ['high_risk', 'sensitive_tenant'],
  },
  {
    name: 'a named model is served by exactly that model',
    reason: 'explicit_model',
    request: chat('hi', { model: 'claude' }),
    tier: 'regional',
    models: ['claude'],
    reasons: ['explicit_model'],
  },
  {
    name: 'an alias to a model id is a named model',
    reason: 'explicit_model',
    request: chat('hi', { model: 'kimi' }),
    tier: 'edge',
    models: ['kimi'],
    reasons: ['explicit_model'],
  },
  {
    name: "a provider's model name is a named model",
    reason: 'explicit_model',
    request: chat('hi', { model: 'gpt-4.1' }),
    tier: 'regional',
    models: ['gpt'],
    reasons: ['explicit_model'],
  },
  {
    name: 'an alias to a tier pins that tier',
    reason: 'explicit_tier',
    request: chat('hi', { model: 'smart' }),
    tier: 'regional',
    models: ['gpt', 'claude', 'qwen-vllm'],
    reasons: ['explicit_tier'],
  },
  {
    name: 'a forced tier pins that tier',
    reason: 'explicit_tier',
    forceTier: 'regional',
    tier: 'regional',
    models: ['gpt', 'claude', 'qwen-vllm'],
    reasons: ['explicit_tier'],
  },
  {
    name: "an operator's forced model serves an auto request",
    reason: 'override',
    override: { kind: 'force_model', model: 'claude' },
    tier: 'regional',
    models: ['claude'],
    reasons: ['override'],
  },
  {
    name: 'an edge-only tenant stays on the edge even when complex',
    reason: 'tenant_edge_only',
    tenant: withTiers(['edge']),
    classification: { score: 0.9 },
    tier: 'edge',
    models: ['glm-flash', 'llama-fast'],
    reasons: ['tenant_edge_only'],
  },
  {
    name: 'a regional-only tenant goes regional even when simple',
    reason: 'tenant_regional_only',
    tenant: withTiers(['regional']),
    tier: 'regional',
    models: ['gpt', 'claude', 'qwen-vllm'],
    reasons: ['tenant_regional_only'],
  },
  {
    name: 'an escalated session stays regional for a simple turn',
    reason: 'sticky_session',
    session: { stickyTier: 'regional', stickyTurnsLeft: 2, turns: 3 },
    tier: 'regional',
    models: ['gpt', 'claude', 'qwen-vllm'],
    reasons: ['sticky_session'],
  },
  {
    name: 'a low-risk request degrades to the edge when regional is down',
    reason: 'regional_unavailable_degraded',
    classification: { score: 0.8 },
    regionalAvailable: false,
    tier: 'edge',
    models: ['glm-flash', 'llama-fast'],
    reasons: ['complex_prompt', 'regional_unavailable_degraded'],
  },
];

const ladderCases: Case[] = [
  {
    name: 'a simple request is served by the fast rung, the large model last in its chain',
    reason: 'simple_prompt',
    tier: 'edge',
    rung: 'fast',
    models: ['glm-flash', 'llama-fast', 'kimi'],
    reasons: ['simple_prompt'],
  },
  {
    name: 'a medium-complexity request is served by the large edge model instead of escalating, the fast ones its fallback',
    reason: 'medium_complexity',
    classification: { score: 0.4, scoreWithoutLength: 0.4 },
    tier: 'edge',
    rung: 'large',
    models: ['kimi', 'glm-flash', 'llama-fast'],
    reasons: ['edge_large', 'medium_complexity'],
  },
  {
    name: 'a long context is served by the large edge model: length alone is not hardness',
    reason: 'edge_large',
    classification: {
      score: 0.7,
      scoreWithoutLength: 0.25,
      contributions: { context: 0.6, text: 0.1 },
      estimatedTokens: 40_000,
      context: 'long',
    },
    tier: 'edge',
    rung: 'large',
    models: ['kimi', 'glm-flash', 'llama-fast'],
    reasons: ['edge_large', 'medium_complexity', 'long_context', 'hard_wording'],
  },
  {
    name: 'a request only the large model fits stays on the edge',
    reason: 'long_context',
    classification: { score: 0.2, scoreWithoutLength: 0.2, estimatedTokens: 200_000 },
    tier: 'edge',
    rung: 'large',
    models: ['kimi'],
    reasons: ['edge_large', 'long_context'],
  },
  {
    name: 'a hard request still goes regional',
    reason: 'complex_prompt',
    classification: { score: 0.9, scoreWithoutLength: 0.6 },
    tier: 'regional',
    rung: 'regional',
    models: ['gpt', 'claude', 'qwen-vllm'],
    reasons: ['complex_prompt'],
  },
  {
    name: 'a request larger than the large window still escalates',
    reason: 'exceeds_edge_context',
    classification: { score: 0.2, scoreWithoutLength: 0.2, estimatedTokens: 300_000 },
    tier: 'regional',
    rung: 'regional',
    models: ['gpt'],
    reasons: ['exceeds_edge_context'],
  },
  {
    name: 'a hard request degraded to the edge takes the large model',
    reason: 'regional_unavailable_degraded',
    classification: { score: 0.8, scoreWithoutLength: 0.8 },
    regionalAvailable: false,
    tier: 'edge',
    rung: 'large',
    models: ['kimi', 'glm-flash', 'llama-fast'],
    reasons: ['edge_large', 'complex_prompt', 'regional_unavailable_degraded'],
  },
];

const runCase = (c: Case, fallbackConfig: RouterConfig) => {
  const request = c.request ?? chat('hello');
  const config = c.config ?? fallbackConfig;
  const classification =
    c.request === image ? classify(image, { config, tenant: demo }) : verdict(c.classification);
  const decision = decide({
    request,
    classification,
    config,
    tenant: c.tenant ?? demo,
    ...(c.session ? { session: c.session } : {}),
    ...(c.regionalAvailable === undefined ? {} : { regionalAvailable: c.regionalAvailable }),
    ...(c.forceTier ? { forceTier: c.forceTier } : {}),
    ...(c.override ? { override: c.override } : {}),
  });
  expect(decision.tier).toBe(c.tier);
  expect(decision.targets.map((t) => t.model.id)).toEqual(c.models);
  expect(decision.reasons).toEqual(c.reasons);
  expect(decision.reasons).toContain(c.reason);
  if (c.rung !== undefined) expect(rungOf(config, decision)).toBe(c.rung);
};

describe('decide on the edge ladder (the example config: Kimi K2.6 as the large rung)', () => {
  it.each(ladderCases)('$reason: $name', (c) => runCase(c, exampleConfig));
});

describe('decide', () => {
  it.each(cases)('$reason: $name', (c) => runCase(c, twoTier));

  it('has a case for every reason code it can give (fallback is added by the server)', () => {
    const covered = new Set<ReasonCode>([
      ...cases.map((c) => c.reason),
      ...ladderCases.map((c) => c.reason),
      // Added by the serving door: a fallback answered, the prompt went checkpointed.
      'fallback',
      'compacted',
    ]);
    expect(REASON_CODES.filter((r) => !covered.has(r))).toEqual([]);
  });

  it('fallback: a served fallback adds the code once', () => {
    expect(withFallbackReason(['complex_prompt'])).toEqual(['complex_prompt', 'fallback']);
    expect(withFallbackReason(['complex_prompt', 'fallback'])).toEqual([
      'complex_prompt',
      'fallback',
    ]);
  });

  it('drops edge models whose window is too small and keeps those that fit', () => {
    // 127,500 + 1,024 reserved > llama's 128,000 but fits glm's 131,072.
    const decision = decide({
      request: chat('hello'),
      classification: verdict({ estimatedTokens: 127_500 }),
      config: twoTier,
      tenant: demo,
    });
    expect(decision.targets.map((t) => t.model.id)).toEqual(['glm-flash']);
  });

  it('counts max_tokens against the window', () => {
    const decision = decide({
      request: chat('hello', { max_tokens: 8000 }),
      classification: verdict({ estimatedTokens: 125_000 }),
      config: twoTier,
      tenant: demo,
    });
    expect(decision.reasons).toEqual(['exceeds_edge_context']);
  });

  it('says a decision is degradable only when the risk policy allows it', () => {
    const low = decide({
      request: chat('x'),
      classification: verdict({ score: 0.9 }),
      config: exampleConfig,
      tenant: demo,
    });
    const high = decide({
      request: chat('x'),
      classification: verdict({ score: 0.9, risk: 'high' }),
      config: exampleConfig,
      tenant: demo,
    });
    expect([low.degradable, high.degradable]).toEqual([true, false]);
  });

  it('is the same decision for the same input', () => {
    const request = chat('Compare quicksort and mergesort and analyse their trade-offs.');
    const classification = classify(request, { config: exampleConfig, tenant: demo });
    const first = decide({ request, classification, config: exampleConfig, tenant: demo });
    for (let i = 0; i < 5; i++) {
      expect(decide({ request, classification, config: exampleConfig, tenant: demo })).toEqual(
        first,
      );
    }
  });
});

describe('decide refuses', () => {
  const refusal = (input: Partial<Parameters<typeof decide>[0]>) => {
    try {
      decide({
        request: chat('hello'),
        classification: verdict(),
        config: exampleConfig,
        tenant: demo,
        ...input,
      });
    } catch (error) {
      if (!(error instanceof RouterError)) throw error;
      return {
        code: error.code,
        message: error.message,
        param: error.param,
        retryAfterSeconds: error.retryAfterSeconds,
      };
    }
    throw new Error('decide did not refuse');
  };

  it('an unknown model, listing what may be asked for', () => {
    expect(refusal({ request: chat('hi', { model: 'gpt-9' }) })).toEqual({
      code: 'unknown_model',
      message:
        'The model "gpt-9" does not exist or you do not have access to it. Use "auto" or one of: fast, smart, kimi, glm-flash, llama-fast, kimi, gpt, qwen-vllm, claude.',
      param: 'model',
      retryAfterSeconds: undefined,
    });
  });

  it('a model the tenant may not ask for', () => {
    expect(refusal({ request: chat('hi', { model: 'claude' }), tenant: acme })).toEqual({
      code: 'policy_denied',
      message: 'The model "claude" is not allowed for this API key. Allowed: auto, fast, smart.',
      param: 'model',
      retryAfterSeconds: undefined,
    });
  });

  it('a named model on a tier the tenant may not use', () => {
    expect(
      refusal({ request: chat('hi', { model: 'gpt' }), tenant: withTiers(['edge']) }),
    ).toMatchObject({
      code: 'policy_denied',
      message:
        'The model "gpt" is served by the regional tier, which this API key may not use (allowed: edge).',
    });
  });

  it('high risk while regional is down, with retry-after', () => {
    expect(
      refusal({
        classification: verdict({ risk: 'high', riskFactors: ['side_effect_tools'] }),
        regionalAvailable: false,
      }),
    ).toEqual({
      code: 'upstream_unavailable',
      message:
        'The regional tier is unavailable and the risk policy does not let this high-risk request be served by the edge tier. Retry later.',
      param: null,
      retryAfterSeconds: 5,
    });
  });

  it('a named regional model while regional is down', () => {
    expect(
      refusal({ request: chat('hi', { model: 'gpt' }), regionalAvailable: false }),
    ).toMatchObject({
      code: 'upstream_unavailable',
      retryAfterSeconds: 5,
    });
  });

  it('a prompt larger than every window', () => {
    expect(refusal({ classification: verdict({ estimatedTokens: 2_000_000 }) })).toEqual({
      code: 'invalid_request',
      message:
        'This request needs about 2001024 tokens (prompt plus reply), more than the context window of any model this API key may use. Shorten the messages or lower max_tokens.',
      param: 'messages',
      retryAfterSeconds: undefined,
    });
  });

  it('side-effecting tools for an edge-only tenant still stay on the edge', () => {
    const decision = decide({
      request: chat('refund it', { tools: [tool('refund_order')] }),
      classification: verdict({ risk: 'high', riskFactors: ['side_effect_tools'] }),
      config: exampleConfig,
      tenant: withTiers(['edge']),
    });
    expect(decision.tier).toBe('edge');
  });
});
