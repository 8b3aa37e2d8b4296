import {
  replyText,
  replyWords,
  type Simulator,
  simLogprobs,
  startSimulator,
  textTokens,
} from '@switchback/loadtests/sim';
import { type RouterConfig, UpstreamError } from '@switchback/router-core';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RegionalServer, startRegionalServer } from '../../start-regional-server.ts';
import { simControl, total } from '../../testing/sim-control.ts';
import { TEST_KEY, testConfig } from '../../testing/test-config.ts';
import { openAiResponsesProvider } from './openai-responses-provider.ts';

const TOKENS = 16;
let sim: Simulator;
let server: RegionalServer;
let client: OpenAI;

/** The test config with OpenAI (`gpt`, the regional route's first) on its Responses endpoint. */
const nativeConfig = (simUrl: string, responsesApi: string = 'native'): RouterConfig => {
  const base = testConfig(simUrl);
  return testConfig(simUrl, {
    providers: base.providers.map((p) => (p.kind === 'openai' ? { ...p, responsesApi } : p)),
  } as never);
};

beforeAll(async () => {
  sim = await startSimulator({ port: 0, ttftMs: 0, itlMs: 0, tokens: TOKENS });
  server = await startRegionalServer({ config: nativeConfig(sim.url), port: 0, env: {} });
  client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: TEST_KEY, maxRetries: 0 });
});
afterAll(async () => {
  await server?.close();
  await sim?.close();
});
beforeEach(async () => {
  await simControl(sim.url).reset();
});

type Logged = { path: string; body: Record<string, unknown> };
const sent = async (limit: number): Promise<Logged[]> =>
  (
    (await (await fetch(`${sim.url}/_sim/requests?limit=${limit}`)).json()) as {
      requests: Logged[];
    }
  ).requests;

const WEATHER = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

describe('OpenAI on its native Responses endpoint (responsesApi: native)', () => {
  it('serves a chat request through POST /v1/responses upstream, answered as a chat completion', async () => {
    const { data, response } = await client.chat.completions
      .create({
        model: 'smart',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'hello' },
        ],
      })
      .withResponse();
    expect(response.headers.get('x-router-provider')).toBe('openai');
    expect(data.choices[0]).toMatchObject({
      message: { role: 'assistant', content: replyText('openai', 'gpt-4.1', 'hello', TOKENS) },
      finish_reason: 'stop',
    });
    expect(data.usage).toMatchObject({ completion_tokens: TOKENS });
    const [upstream] = await sent(1);
    expect(upstream?.path).toBe('/openai/v1/responses');
    // Streamed upstream even so: the TTFT deadline waits for the first event, as on chat.
    expect(upstream?.body).toMatchObject({
      model: 'gpt-4.1',
      stream: true,
      store: false,
      input: [
        { type: 'message', role: 'system', content: 'Be brief.' },
        { type: 'message', role: 'user', content: 'hello' },
      ],
    });
  });

  it('streams: the typed events come back as chat chunks, the text and usage whole', async () => {
    const stream = await client.chat.completions.create({
      model: 'smart',
      messages: [{ role: 'user', content: 'hello' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    const finishes: (string | null)[] = [];
    let usage: unknown;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      for (const choice of chunk.choices) finishes.push(choice.finish_reason);
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe(replyText('openai', 'gpt-4.1', 'hello', TOKENS));
    expect(finishes.filter((f) => f !== null)).toEqual(['stop']);
    expect(usage).toMatchObject({ completion_tokens: TOKENS });
    const [upstream] = await sent(1);
    expect([upstream?.path, upstream?.body.stream]).toEqual(['/openai/v1/responses', true]);
  });

  it('runs a tool round trip: the call from a function_call item, its output sent as function_call_output', async () => {
    const first = await client.chat.completions.create({
      model: 'smart',
      messages: [{ role: 'user', content: 'Weather in Oslo?' }],
      tools: [WEATHER],
    });
    const call = first.choices[0]?.message.tool_calls?.[0];
    expect(first.choices[0]?.finish_reason).toBe('tool_calls');
    if (call?.type !== 'function') throw new Error('no function call');
    expect(call.function.name).toBe('get_weather');
    expect(JSON.parse(call.function.arguments)).toEqual({ city: expect.any(String) });
    const second = await client.chat.completions.create({
      model: 'smart',
      tools: [WEATHER],
      messages: [
        { role: 'user', content: 'Weather in Oslo?' },
        { role: 'assistant', content: null, tool_calls: [call] },
        { role: 'tool', tool_call_id: call.id, content: '{"celsius":4}' },
      ],
    });
    expect(second.choices[0]?.message.content).toMatch(/\w+/);
    const [upstream] = await sent(1);
    expect(upstream?.body.input).toEqual([
      { type: 'message', role: 'user', content: 'Weather in Oslo?' },
      {
        type: 'function_call',
        call_id: call.id,
        name: 'get_weather',
        arguments: call.function.arguments,
      },
      { type: 'function_call_output', call_id: call.id, output: '{"celsius":4}' },
    ]);
    expect(upstream?.body.tools).toEqual([
      {
        type: 'function',
        name: 'get_weather',
        parameters: WEATHER.function.parameters,
        strict: false,
      },
    ]);
  });

  it('is cut at the output limit (length), and retried before the first byte like any provider', async () => {
    const cut = await client.chat.completions.create({
      model: 'smart',
      messages: [{ role: 'user', content: 'hello' }],
      max_completion_tokens: 3,
    });
    expect(cut.choices[0]?.finish_reason).toBe('length');
    expect((await sent(1))[0]?.body.max_output_tokens).toBe(3);

    await simControl(sim.url).reset();
    await simControl(sim.url).fault({ target: 'openai', kind: 'error', status: 500, count: 1 });
    const retried = await client.chat.completions
      .create({ model: 'smart', messages: [{ role: 'user', content: 'hello' }] })
      .withResponse();
    expect(retried.response.headers.get('x-router-provider')).toBe('openai');
    expect(total(await simControl(sim.url).stats(), 'calls', 'openai')).toBe(2);
  });

  it('passes logprobs on, as the provider sent them, whole and streamed', async () => {
    const expected = simLogprobs(
      textTokens(replyWords('openai', 'gpt-4.1', 'Name a tree.', TOKENS)),
      2,
    );
    const asked = {
      model: 'smart',
      logprobs: true,
      top_logprobs: 2,
      messages: [{ role: 'user' as const, content: 'Name a tree.' }],
    };
    const whole = await client.chat.completions.create(asked);
    expect(whole.choices[0]?.logprobs).toEqual({ content: expected, refusal: null });
    expect((await sent(1))[0]?.body).toMatchObject({
      include: ['message.output_text.logprobs'],
      top_logprobs: 2,
    });
    const stream = await client.chat.completions.create({ ...asked, stream: true });
    const streamed = [];
    for await (const chunk of stream) streamed.push(...(chunk.choices[0]?.logprobs?.content ?? []));
    expect(streamed).toEqual(expected);
  });

  it('serves a Responses request at regional on the native endpoint too', async () => {
    const response = await client.responses.create({ model: 'smart', input: 'hello' });
    expect(response.output_text).toBe(replyText('openai', 'gpt-4.1', 'hello', TOKENS));
    expect((await sent(1))[0]?.path).toBe('/openai/v1/responses');
  });

  it('takes responsesApi on openai providers only, native or chat', () => {
    expect(() => nativeConfig(sim.url, 'chat')).not.toThrow();
    expect(() => nativeConfig(sim.url, 'both')).toThrow(/responsesApi/);
    const base = testConfig(sim.url);
    expect(() =>
      testConfig(sim.url, {
        providers: base.providers.map((p) =>
          p.kind === 'openai-compatible' ? { ...p, responsesApi: 'native' } : p,
        ),
      } as never),
    ).toThrow(/responsesApi is for kind openai .*"vllm" is openai-compatible/);
  });
});

describe('the native Responses adapter on its own', () => {
  const provider = () =>
    openAiResponsesProvider({ id: 'openai', baseURL: `${sim.url}/openai/v1`, apiKey: 'sk-sim' });
  const call = () => ({ signal: new AbortController().signal, requestId: 'req-1' });
  const hello = { model: 'gpt-4.1', messages: [{ role: 'user' as const, content: 'hello' }] };

  it('answers a whole Response as a chat completion', async () => {
    const completion = await provider().complete(hello, call());
    expect(completion).toMatchObject({
      object: 'chat.completion',
      model: 'gpt-4.1',
      choices: [
        {
          message: { content: replyText('openai', 'gpt-4.1', 'hello', TOKENS) },
          finish_reason: 'stop',
        },
      ],
      usage: { completion_tokens: TOKENS, prompt_tokens_details: { cached_tokens: 0 } },
    });
    expect(completion.id).toMatch(/^resp_/);
  });

  it('turns statuses, error events and cuts into UpstreamErrors of their kind', async () => {
    const control = simControl(sim.url);
    const failure = (run: () => Promise<unknown>) =>
      run().then(
        () => undefined,
        (error: unknown) => error as UpstreamError,
      );
    await control.fault({ target: 'openai', kind: 'rate_limit', count: 1 });
    const limited = await failure(() => provider().complete(hello, call()));
    expect(limited).toBeInstanceOf(UpstreamError);
    expect([limited?.kind, limited?.status]).toEqual(['rate_limit', 429]);
    expect(limited?.retryAfterMs).toBeGreaterThan(0);

    const drain = async () => {
      for await (const _chunk of provider().stream(hello, call())) {
        // to the end, or the failure
      }
    };
    await control.fault({
      target: 'openai',
      kind: 'error',
      status: 500,
      midStream: true,
      count: 1,
    });
    const broke = await failure(drain);
    expect(broke?.kind).toBe('mid_stream');
    expect(broke?.message).toMatch(/^openai sent an error event: .*simulated fault, HTTP 500/);
    await control.fault({ target: 'openai', kind: 'reset_mid_stream', count: 1 });
    expect((await failure(drain))?.kind).toBe('mid_stream');
    const unkeyed = openAiResponsesProvider({
      id: 'openai',
      baseURL: `${sim.url}/openai/v1`,
      apiKey: undefined,
      apiKeyEnv: 'OPENAI_API_KEY',
    });
    const refused = await failure(() => unkeyed.complete(hello, call()));
    expect([refused?.kind, refused?.message]).toEqual([
      'client',
      'OPENAI_API_KEY is not set: openai cannot be called.',
    ]);
  });
});
