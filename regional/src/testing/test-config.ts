import { createHash } from 'node:crypto';
import { parseConfig, type RouterConfig, type RouterConfigInput } from '@switchback/router-core';

/** The API key of the test tenant. */
export const TEST_KEY = 'sk-test-regional';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * A config whose providers all point at one simulator: OpenAI (`gpt`) is the primary of the
 * regional route, Bedrock (`claude`) the first fallback, vLLM (`qwen`) the second; Workers AI
 * (`glm`) is the edge tier. Budgets and breaker timings are short so tests run in seconds.
 */
export const testConfig = (
  simUrl: string,
  overrides: Partial<RouterConfigInput> = {},
): RouterConfig => {
  const input: RouterConfigInput = {
    version: 'test-1',
    tenants: [
      {
        id: 'demo',
        keys: [
          { id: 'test-key', sha256: sha256(TEST_KEY) },
          { id: 'revoked-key', sha256: sha256('sk-revoked'), revoked: true },
        ],
        tools: { default: ['get_weather', 'lookup_*'] },
      },
    ],
    providers: [
      {
        id: 'workers-ai',
        kind: 'workers-ai',
        baseUrl: `${simUrl}/workers-ai/client/v4/accounts/local/ai`,
      },
      { id: 'openai', kind: 'openai', baseUrl: `${simUrl}/openai/v1`, apiKeyEnv: 'OPENAI_API_KEY' },
      { id: 'vllm', kind: 'openai-compatible', baseUrl: `${simUrl}/compat/v1` },
      { id: 'bedrock', kind: 'bedrock', baseUrl: `${simUrl}/bedrock`, region: 'us-east-1' },
    ],
    models: [
      {
        id: 'glm',
        provider: 'workers-ai',
        name: '@cf/zai-org/glm-4.7-flash',
        contextWindow: 131072,
        price: { inputPerMillion: 0.06, cachedInputPerMillion: 0.06, outputPerMillion: 0.4 },
      },
      {
        id: 'gpt',
        provider: 'openai',
        name: 'gpt-4.1',
        contextWindow: 1047576,
        price: { inputPerMillion: 2, cachedInputPerMillion: 0.5, outputPerMillion: 8 },
      },
      {
        id: 'claude',
        provider: 'bedrock',
        name: 'anthropic.claude-sonnet-4-5-v1:0',
        contextWindow: 200000,
        price: { inputPerMillion: 3, cachedInputPerMillion: 0.3, outputPerMillion: 15 },
      },
      {
        id: 'qwen',
        provider: 'vllm',
        name: 'Qwen/Qwen2.5-7B-Instruct',
        contextWindow: 131072,
        price: { inputPerMillion: 0.3, cachedInputPerMillion: 0.3, outputPerMillion: 0.6 },
      },
    ],
    routes: { edge: { models: ['glm'] }, regional: { models: ['gpt', 'claude', 'qwen'] } },
    aliases: { fast: 'edge', smart: 'regional' },
    budgets: { default: { ttftMs: 400, totalMs: 5000, policyMs: 50 } },
    breaker: {
      errorThresholdPercentage: 50,
      volumeThreshold: 10,
      resetTimeoutMs: 300,
      rollingCountTimeoutMs: 10000,
    },
    retry: { retries: 2, minTimeoutMs: 10, maxTimeoutMs: 40 },
    ...overrides,
  };
  const parsed = parseConfig(input);
  if (!parsed.ok) {
    throw new Error(
      `test config: ${parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.config;
};
