import { replyText, type Simulator, startSimulator } from '@switchback/loadtests/sim';
import type { ChatCompletionChunk } from '@switchback/router-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../testing/harness.ts';
import { bedrockProvider } from './bedrock-provider.ts';

const CLAUDE = 'anthropic.claude-sonnet-4-5-v1:0';
const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'The weather in a city.',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string' }, days: { type: 'integer', minimum: 1 } },
      required: ['city', 'days'],
    },
  },
};
// The simulator fills required parameters with samples: strings "sample", integers their minimum.
const SAMPLE_ARGUMENTS = '{"city":"sample","days":1}';

describe('the Bedrock adapter, through the real Bedrock runtime client', () => {
  let sim: Simulator;
  let provider: ReturnType<typeof bedrockProvider>;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    provider = bedrockProvider({
      id: 'bedrock',
      region: 'us-east-1',
      endpoint: `${sim.url}/bedrock`,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  });
  afterAll(async () => {
    provider.close();
    await sim.close();
  });
  const call = () => ({ signal: new AbortController().signal, requestId: 'req_test' });

  it('streams a tool call as OpenAI chunks: id and name first, then argument fragments, then tool_calls', async () => {
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of provider.stream(
      {
        model: CLAUDE,
        messages: [{ role: 'user', content: 'Weather in Paris for a day?' }],
        tools: [weatherTool],
      },
      call(),
    )) {
      chunks.push(chunk);
    }
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: '' });
    const calls = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(calls[0]).toMatchObject({
      index: 0,
      type: 'function',
      function: { name: 'get_weather', arguments: '' },
    });
    expect(calls[0]?.id).toMatch(/^tooluse_/);
    expect(calls.slice(1).every((c) => c.index === 0 && c.id === undefined)).toBe(true);
    expect(calls.map((c) => c.function?.arguments ?? '').join('')).toBe(SAMPLE_ARGUMENTS);
    const finish = chunks.find((c) => c.choices[0]?.finish_reason);
    expect(finish?.choices[0]?.finish_reason).toBe('tool_calls');
    const usage = chunks.at(-1);
    expect(usage?.choices).toEqual([]);
    // The simulator streams arguments in 4-character fragments, one token each.
    expect(usage?.usage?.completion_tokens).toBe(Math.ceil(SAMPLE_ARGUMENTS.length / 4));
  });

  it('answers a tool result with text, and maps max_tokens to finish_reason "length"', async () => {
    const completion = await provider.complete(
      {
        model: CLAUDE,
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Weather in Paris?' },
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              {
                id: 'tooluse_1',
                type: 'function',
                function: { name: 'get_weather', arguments: SAMPLE_ARGUMENTS },
              },
            ],
          },
          { role: 'tool', tool_call_id: 'tooluse_1', content: 'sunny, 21 C' },
        ],
        tools: [weatherTool],
        max_tokens: 3,
      },
      call(),
    );
    expect(completion.choices[0]?.message.content).toBe(
      replyText('bedrock', CLAUDE, 'sunny, 21 C', 3),
    );
    expect(completion.choices[0]?.finish_reason).toBe('length');
    expect(completion.usage?.completion_tokens).toBe(3);
  });
});

describe('Bedrock behind the regional API', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('the openai SDK stream helper reassembles the streamed tool call', async () => {
    const stream = h.client.chat.completions.stream({
      model: 'claude',
      messages: [{ role: 'user', content: 'Weather in Paris for a day?' }],
      tools: [weatherTool],
    });
    const completion = await stream.finalChatCompletion();
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.tool_calls).toHaveLength(1);
    expect(choice?.message.tool_calls?.[0]).toMatchObject({
      type: 'function',
      function: { name: 'get_weather', arguments: SAMPLE_ARGUMENTS },
    });
  });

  it('a long system prompt gets a cachePoint: the second request reports its cached tokens', async () => {
    // 6,000 characters: 1,500 tokens for the simulator, past Bedrock's 1,024-token minimum.
    const system = 'You are a meticulous assistant for a travel company. '
      .repeat(120)
      .slice(0, 6000);
    const ask = (question: string) =>
      h.client.chat.completions.create({
        model: 'claude',
        stream: true,
        stream_options: { include_usage: true },
        messages: [
          { role: 'system', content: system },
          { role: 'user', content: question },
        ],
      });
    const usageOf = async (question: string) => {
      let usage:
        | { prompt_tokens: number; prompt_tokens_details?: { cached_tokens?: number } }
        | undefined;
      for await (const chunk of await ask(question)) if (chunk.usage) usage = chunk.usage;
      return usage;
    };
    const first = await usageOf('Where should I go in May?');
    const second = await usageOf('And in June?');
    expect(first?.prompt_tokens_details?.cached_tokens).toBe(0);
    expect(second?.prompt_tokens_details?.cached_tokens).toBe(1500);
    expect(second?.prompt_tokens).toBeGreaterThan(1500);

    const metrics = await (await fetch(`${h.server.url}/metrics`)).text();
    expect(metrics).toContain(
      'router_cached_tokens_total{provider="bedrock",model="claude",family="demo/default"} 1500',
    );
  });
});
