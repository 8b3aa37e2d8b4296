import { describe, expect, it } from 'vitest';
import { testConfig } from '../testing/test-config.ts';
import { rebaseLocalProviders } from './rebase-local-providers.ts';

describe('rebaseLocalProviders', () => {
  it('moves local provider URLs to the given origin and leaves remote ones alone', () => {
    const config = testConfig('http://127.0.0.1:8789');
    const withRemote = {
      ...config,
      providers: config.providers.map((p) =>
        p.id === 'openai'
          ? { ...p, baseUrl: 'https://api.openai.com/v1' }
          : p.id === 'vllm'
            ? { ...p, backends: ['http://localhost:8789/compat/v1', 'http://10.1.2.3:8000/v1'] }
            : p,
      ),
    };
    const rebased = rebaseLocalProviders(withRemote, 'http://127.0.0.1:9999');
    const byId = Object.fromEntries(rebased.providers.map((p) => [p.id, p]));
    expect(byId['workers-ai']?.baseUrl).toBe(
      'http://127.0.0.1:9999/workers-ai/client/v4/accounts/local/ai',
    );
    expect(byId.bedrock?.baseUrl).toBe('http://127.0.0.1:9999/bedrock');
    expect(byId.openai?.baseUrl).toBe('https://api.openai.com/v1');
    expect(byId.vllm?.backends).toEqual([
      'http://127.0.0.1:9999/compat/v1',
      'http://10.1.2.3:8000/v1',
    ]);
  });
});
