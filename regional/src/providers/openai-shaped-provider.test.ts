import { type Simulator, startSimulator } from '@switchback/loadtests/sim';
import type { ChatCompletionChunk } from '@switchback/router-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProvider, type ManagedProvider } from './create-provider.ts';

let sim: Simulator;
const providers: ManagedProvider[] = [];
beforeAll(async () => {
  sim = await startSimulator({ port: 0, tokens: 4 });
});
afterAll(async () => {
  for (const provider of providers) provider.close();
  await sim.close();
});

const call = (extra: Record<string, unknown> = {}) => ({
  signal: new AbortController().signal,
  requestId: 'req_adapter',
  ...extra,
});
const lastLogged = async () => {
  const { requests } = (await (await fetch(`${sim.url}/_sim/requests?limit=1`)).json()) as {
    requests: { body: Record<string, unknown>; headers: Record<string, string> }[];
  };
  return requests[0];
};
const make = (config: Parameters<typeof createProvider>[0], env: Record<string, string> = {}) => {
  const provider = createProvider(config, env);
  providers.push(provider);
  return provider;
};

describe('OpenAI-shaped adapters against the simulator', () => {
  it('openai: the prefix hint becomes prompt_cache_key; usage is always asked for upstream', async () => {
    const openai = make({ id: 'openai', kind: 'openai', baseUrl: `${sim.url}/openai/v1` });
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of openai.stream(
      { model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] },
      call({ prefix: { key: 'family-1', messageCount: 1, tokens: 2000 } }),
    )) {
      chunks.push(chunk);
    }
    const logged = await lastLogged();
    expect(logged?.body).toMatchObject({
      prompt_cache_key: 'family-1',
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(logged?.headers['x-request-id']).toBe('req_adapter');
    expect(chunks.at(-1)?.usage?.completion_tokens).toBe(4);
  });

  it('workers-ai: x-session-affinity goes out, and Kimi gets max_completion_tokens instead of max_tokens', async () => {
    const workersAi = make({
      id: 'workers-ai',
      kind: 'workers-ai',
      baseUrl: `${sim.url}/workers-ai/client/v4/accounts/local/ai`,
    });
    const completion = await workersAi.complete(
      {
        model: '@cf/moonshotai/kimi-k2.6',
        messages: [{ role: 'user', content: 'hi' }],
        max_tokens: 2,
      },
      call({ affinityKey: 'aff-1' }),
    );
    const logged = await lastLogged();
    expect(logged?.headers['x-session-affinity']).toBe('aff-1');
    expect(logged?.body).toMatchObject({ max_completion_tokens: 2 });
    expect(logged?.body).not.toHaveProperty('max_tokens');
    expect(completion.usage?.completion_tokens).toBe(2);
    expect(completion.choices[0]?.finish_reason).toBe('length');
  });

  it('openai-compatible: OpenAI-only fields are not sent', async () => {
    const vllm = make({ id: 'vllm', kind: 'openai-compatible', baseUrl: `${sim.url}/compat/v1` });
    await vllm.complete(
      {
        model: 'Qwen/Qwen2.5-7B-Instruct',
        messages: [{ role: 'user', content: 'hi' }],
        prompt_cache_key: 'k',
        store: true,
        metadata: { a: 'b' },
      },
      call(),
    );
    const logged = await lastLogged();
    expect(Object.keys(logged?.body ?? {}).sort()).toEqual(['messages', 'model', 'stream']);
  });

  it('a remote provider without its credential fails each call with a message naming the variable', async () => {
    const remote = make({
      id: 'openai',
      kind: 'openai',
      baseUrl: 'https://api.openai.com/v1',
      apiKeyEnv: 'OPENAI_API_KEY',
    });
    await expect(
      remote.complete({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }, call()),
    ).rejects.toMatchObject({
      kind: 'client',
      status: 401,
      message: 'OPENAI_API_KEY is not set: openai cannot be called.',
    });
  });
});
