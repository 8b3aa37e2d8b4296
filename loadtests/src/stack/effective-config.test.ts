import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { effectiveConfig } from './effective-config.ts';

const CONFIG = `
version: "1"
providers:
  - id: openai
    kind: openai
    baseUrl: http://127.0.0.1:8789/openai/v1
    apiKeyEnv: OPENAI_API_KEY
  - id: bedrock
    kind: bedrock
    baseUrl: http://127.0.0.1:8789/bedrock
  - id: vllm
    kind: openai-compatible
    baseUrl: http://10.1.2.3:8000/v1
`;

const baseUrls = (text: string) =>
  (parse(text) as { providers: Array<{ id: string; baseUrl?: string }> }).providers.map((p) => [
    p.id,
    p.baseUrl,
  ]);

describe('the config the local stack runs', () => {
  it('moves simulator URLs to wherever the simulator listens', () => {
    const { text, realProviders } = effectiveConfig(CONFIG, 'http://127.0.0.1:40001', {});
    expect(baseUrls(text)).toEqual([
      ['openai', 'http://127.0.0.1:40001/openai/v1'],
      ['bedrock', 'http://127.0.0.1:40001/bedrock'],
      ['vllm', 'http://10.1.2.3:8000/v1'],
    ]);
    expect(realProviders).toEqual([]);
  });

  it('sends a provider to the real service when its credentials are in the environment', () => {
    const { text, realProviders } = effectiveConfig(CONFIG, 'http://127.0.0.1:40001', {
      OPENAI_API_KEY: 'sk-real',
    });
    expect(baseUrls(text)).toEqual([
      ['openai', undefined],
      ['bedrock', 'http://127.0.0.1:40001/bedrock'],
      ['vllm', 'http://10.1.2.3:8000/v1'],
    ]);
    expect(realProviders).toEqual(['openai']);
  });
});
