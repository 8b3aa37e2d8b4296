import { describe, expect, it } from 'vitest';
import { configWith, exampleConfig, tenantOf } from '../../test/example-config.ts';
import { chat, tool } from '../../test/requests.ts';
import type { ChatCompletionRequest, ChatMessage } from '../openai/chat-request.ts';
import { classify } from './classify.ts';
import { DEFAULT_WEIGHTS, FEATURE_NAMES, type FeatureName } from './feature-names.ts';

const demo = tenantOf('demo');
const run = (request: ChatCompletionRequest, config = exampleConfig) =>
  classify(request, { config, tenant: demo });

const longText = (words: number) =>
  Array.from(
    { length: words },
    (_, i) => ['river', 'stone', 'maple', 'quiet', 'lantern'][i % 5],
  ).join(' ');
const turns = (n: number): ChatMessage[] =>
  Array.from({ length: n }, (_, i): ChatMessage[] => [
    { role: 'user', content: `message number ${i} about the garden` },
    { role: 'assistant', content: 'Noted.' },
  ])
    .flat()
    .slice(0, -1);
const image = (detail?: 'low' | 'high'): ChatCompletionRequest =>
  chat([
    {
      role: 'user',
      content: [
        { type: 'text', text: 'What is in this picture?' },
        {
          type: 'image_url',
          image_url: { url: 'https://example.com/cat.png', ...(detail ? { detail } : {}) },
        },
      ],
    },
  ]);

type FeatureCase = {
  feature: FeatureName;
  name: string;
  request: ChatCompletionRequest;
  /** Exact contribution, or a lower bound for cue features. */
  contribution: number | { atLeast: number } | { atMost: number };
};

// A baseline prompt of almost no context and no shape features; each case moves one feature.
const NEUTRAL =
  'Please look at the following garden and tell me about it in a few lines, with the colours, the trees, the flowers and anything else that stands out to you when you look at the picture from the house.';

const cases: FeatureCase[] = [
  {
    feature: 'context',
    name: 'a 40,000-word prompt is long context',
    request: chat(longText(40_000)),
    contribution: 0.6,
  },
  {
    feature: 'context',
    name: 'a short prompt has almost no context weight',
    request: chat(NEUTRAL),
    contribution: { atMost: 0.01 },
  },
  {
    feature: 'text',
    name: 'a short word problem reads as hard',
    request: chat(
      'A train leaves at 9:40 and travels 210 km at 84 km/h, then waits 25 minutes and travels 96 km at 64 km/h. At what time does it arrive?',
    ),
    contribution: { atLeast: 0.5 },
  },
  {
    feature: 'text',
    name: 'a small coding task reads as hard',
    request: chat(
      'Write a Python function that returns the longest palindromic substring of a string.',
    ),
    contribution: { atLeast: 0.5 },
  },
  {
    feature: 'text',
    name: 'an everyday question reads as easy',
    request: chat('What are some good ideas for a picnic lunch with kids?'),
    contribution: { atMost: 0.4 },
  },
  {
    feature: 'tools',
    name: 'one tool',
    request: chat(NEUTRAL, { tools: [tool('get_weather')] }),
    contribution: 0.18,
  },
  {
    feature: 'tools',
    name: 'four tools and a required call',
    request: chat(NEUTRAL, {
      tools: ['a', 'b', 'c', 'd'].map((n) => tool(`tool_${n}`)),
      tool_choice: 'required',
    }),
    contribution: 0.48,
  },
  {
    feature: 'sideEffects',
    name: 'a tool matching risk.sideEffectTools',
    request: chat(NEUTRAL, { tools: [tool('refund_order')] }),
    contribution: 0.2,
  },
  {
    feature: 'structuredOutput',
    name: 'a JSON schema response format',
    request: chat(NEUTRAL, {
      response_format: { type: 'json_schema', json_schema: { name: 'x' } },
    }),
    contribution: 0.1,
  },
  {
    feature: 'structuredOutput',
    name: 'JSON mode',
    request: chat(NEUTRAL, { response_format: { type: 'json_object' } }),
    contribution: 0.06,
  },
  {
    feature: 'outputLength',
    name: 'max_tokens of 8192',
    request: chat(NEUTRAL, { max_tokens: 8192 }),
    contribution: 0.2,
  },
  {
    feature: 'outputLength',
    name: 'max_completion_tokens under 1024',
    request: chat(NEUTRAL, { max_completion_tokens: 800 }),
    contribution: 0,
  },
  { feature: 'images', name: 'an image part', request: image(), contribution: 0.3 },
  { feature: 'turns', name: 'nine user turns', request: chat(turns(9)), contribution: 0.1 },
];

describe('classify: each feature', () => {
  it('has a case for every feature', () => {
    expect(FEATURE_NAMES.filter((f) => !cases.some((c) => c.feature === f))).toEqual([]);
  });

  it.each(cases)('$feature: $name', ({ feature, request, contribution }) => {
    const actual = run(request).contributions[feature] ?? Number.NaN;
    if (typeof contribution === 'number') expect(actual).toBeCloseTo(contribution, 4);
    else if ('atLeast' in contribution) expect(actual).toBeGreaterThanOrEqual(contribution.atLeast);
    else expect(actual).toBeLessThanOrEqual(contribution.atMost);
  });

  it('reports every feature, and a score that is their clamped sum', () => {
    const c = run(chat(`${NEUTRAL} Analyse the trade-offs step by step.`, { tools: [tool('x')] }));
    expect(Object.keys(c.contributions)).toEqual([...FEATURE_NAMES]);
    const sum = Object.values(c.contributions).reduce((a, b) => a + b, 0);
    expect(c.score).toBeCloseTo(Math.min(1, Math.max(0, sum)), 3);
  });

  it('takes weights from config over the defaults', () => {
    const config = configWith({ classification: { weights: { tools: 1, text: 0 } } });
    const c = run(chat('hi', { tools: [tool('x')] }), config);
    expect(c.contributions.tools).toBeCloseTo(0.3, 4);
    expect(c.contributions.text).toBe(0);
    expect(DEFAULT_WEIGHTS.tools).toBe(0.6);
  });

  it('counts the cues of the lexicon exactly, weighted by where they sit', () => {
    const c = run(
      chat([
        { role: 'system', content: 'Always analyse carefully.' },
        { role: 'user', content: 'Analyse the trade-offs of both designs.' },
      ]),
    );
    // "analyse" (1) in the system prompt at half weight; "analyse" (1) and "trade-offs" (1) in the
    // ask; "designs" is not "design".
    // Less each text's baseline of 0.004 per weighted word (1.5 and 7 words).
    expect(c.features?.reasoningCues).toBeCloseTo(2.466, 6);
  });

  it('reads only the start and end of a long last turn for cues (the ask, not the pasted text)', () => {
    const quiet =
      'The garden was quiet in the morning and the river ran past the old stone wall. '.repeat(8);
    const dense = 'The architecture and strategy need analysis of every trade-off. '.repeat(200);
    const c = run(chat(`Summarise this:\n\n${quiet}${dense}${quiet}\n\nThanks!`));
    expect(c.features?.reasoningCues).toBe(0);
    expect(c.features?.simpleTaskCues).toBeCloseTo(1.6, 6);
  });
});

describe('classify: tokens, tiers and risk', () => {
  it.each([
    { name: 'a short prompt', request: chat('hello there'), context: 'short' },
    { name: 'a 5,000-word prompt', request: chat(longText(5_000)), context: 'medium' },
    { name: 'a 40,000-word prompt', request: chat(longText(40_000)), context: 'long' },
  ])('$name is $context context', ({ request, context }) => {
    expect(run(request).context).toBe(context);
  });

  it.each([
    { name: 'one short message', request: chat('hello there'), tokens: 8 },
    { name: 'a low-detail image', request: image('low'), tokens: 97 },
    { name: 'a high-detail image', request: image('high'), tokens: 777 },
  ])('estimates $name at $tokens tokens, framing included', ({ request, tokens }) => {
    expect(run(request).estimatedTokens).toBe(tokens);
  });

  it.each([
    {
      name: 'a plain question',
      request: chat('What is the capital of France?'),
      tenantClass: 'standard',
      risk: 'low',
      factors: [],
    },
    {
      name: 'a side-effecting tool',
      request: chat('refund it', { tools: [tool('refund_order')] }),
      tenantClass: 'standard',
      risk: 'high',
      factors: ['side_effect_tools'],
    },
    {
      name: 'a read-only tool',
      request: chat('look it up', { tools: [tool('lookup_order')] }),
      tenantClass: 'standard',
      risk: 'low',
      factors: [],
    },
    {
      name: 'an email address',
      request: chat('Write to jane.doe@example.com about the invoice.'),
      tenantClass: 'standard',
      risk: 'medium',
      factors: ['pii'],
    },
    {
      name: 'a sensitive tenant class',
      request: chat('hello'),
      tenantClass: 'regulated',
      risk: 'medium',
      factors: ['sensitive_class'],
    },
    {
      name: 'PII from a sensitive tenant class',
      request: chat('My card is 4111 1111 1111 1111.'),
      tenantClass: 'regulated',
      risk: 'high',
      factors: ['pii', 'sensitive_class'],
    },
  ])('$name is $risk risk', ({ request, tenantClass, risk, factors }) => {
    const config = configWith({
      risk: { sideEffectTools: ['refund_*'], sensitiveClasses: ['regulated'] },
      quotas: {},
    });
    const c = classify(request, { config, tenant: { ...demo, class: tenantClass } });
    expect([c.risk, c.riskFactors]).toEqual([risk, factors]);
  });

  it('is the same classification for the same request', () => {
    const request = chat('Compare Raft and Paxos and analyse their failure modes.', {
      tools: [tool('search_docs')],
    });
    expect(run(request)).toEqual(run(request));
  });
});
