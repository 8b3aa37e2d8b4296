import { describe, expect, it } from 'vitest';
import { exampleConfig, tenantOf } from '../../test/example-config.ts';
import type { ChatCompletionRequest } from '../openai/chat-request.ts';
import type { Classification } from './contracts.ts';
import { decide } from './decide.ts';

const demo = tenantOf('demo');
const classification: Classification = {
  score: 0.1,
  contributions: {},
  estimatedTokens: 100,
  risk: 'low',
  riskFactors: [],
  context: 'short',
};
const ask = (over: Partial<ChatCompletionRequest>): ChatCompletionRequest => ({
  model: 'auto',
  messages: [{ role: 'user', content: 'hi' }],
  logprobs: true,
  ...over,
});
const decideFor = (request: ChatCompletionRequest, regionalAvailable = true) =>
  decide({ request, classification, config: exampleConfig, tenant: demo, regionalAvailable });

describe('parameters a provider cannot honour', () => {
  it('drops Bedrock from the regional chain of a logprobs request, keeping OpenAI and vLLM', () => {
    const decision = decideFor(ask({ model: 'smart' }));
    expect(decision.targets.map((t) => t.model.id)).toEqual(['gpt', 'qwen-vllm']);
    expect(decideFor(ask({ model: 'smart', logprobs: false })).targets).toHaveLength(3);
  });

  it('refuses logprobs on Workers AI with a 400 naming the parameter and the routed model', () => {
    expect(() => decideFor(ask({ model: 'fast' }))).toThrow(
      expect.objectContaining({
        code: 'invalid_request',
        param: 'logprobs',
        message:
          "'logprobs' is not supported by the routed model 'glm-flash' (@cf/zai-org/glm-4.7-flash on Workers AI, which returns no log probabilities); name a model on OpenAI or an OpenAI-compatible server.",
      }),
    );
    expect(() => decideFor(ask({ model: 'claude', logprobs: null, top_logprobs: 3 }))).toThrow(
      expect.objectContaining({
        param: 'top_logprobs',
        message:
          "'top_logprobs' is not supported by the routed model 'claude' (anthropic.claude-sonnet-4-5-v1:0 on Bedrock, which returns no log probabilities); name a model on OpenAI or an OpenAI-compatible server.",
      }),
    );
  });

  it('keeps auto on the tier classification chose: a simple auto request with logprobs is refused', () => {
    expect(() => decideFor(ask({}))).toThrow(expect.objectContaining({ param: 'logprobs' }));
  });

  it('answers 503, not 400, when regional is down and the edge could only degrade it', () => {
    const heavy: Classification = { ...classification, score: 0.9 };
    expect(() =>
      decide({
        request: ask({}),
        classification: heavy,
        config: exampleConfig,
        tenant: demo,
        regionalAvailable: false,
      }),
    ).toThrow(expect.objectContaining({ code: 'upstream_unavailable' }));
  });
});

describe('response_format with tools', () => {
  const structured = (model: string): ChatCompletionRequest => ({
    model,
    messages: [{ role: 'user', content: 'hi' }],
    response_format: { type: 'json_object' },
    tools: [{ type: 'function', function: { name: 'lookup_order' } }],
  });

  it('skips Bedrock, whose structured output is itself a forced tool call', () => {
    expect(decideFor(structured('smart')).targets.map((t) => t.model.id)).toEqual([
      'gpt',
      'qwen-vllm',
    ]);
  });

  it('refuses it on Bedrock with a 400 naming response_format and the model', () => {
    expect(() => decideFor(structured('claude'))).toThrow(
      expect.objectContaining({
        param: 'response_format',
        message:
          "'response_format' is not supported by the routed model 'claude' (anthropic.claude-sonnet-4-5-v1:0 on Bedrock, where structured output is a forced tool call, so it cannot be combined with tools); drop the tools or name another model.",
      }),
    );
  });
});
