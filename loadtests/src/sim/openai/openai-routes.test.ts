import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { replyText, replyWords, textTokens } from '../chat/reply-words.ts';
import { type Simulator, startSimulator } from '../server.ts';
import type { LoggedRequest } from '../state/request-log.ts';
import { bodyOf } from '../testing/body-of.ts';

const TOKENS = 8;
const WORKERS_AI_V1 = '/workers-ai/client/v4/accounts/local/ai/v1';
let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({ ttftMs: 0, itlMs: 0, tokens: TOKENS });
});
afterAll(() => sim.close());
beforeEach(async () => {
  await fetch(`${sim.url}/_sim/reset`, { method: 'POST' });
});

const client = (path: string, headers: Record<string, string> = {}) =>
  new OpenAI({
    apiKey: 'sk-test',
    baseURL: `${sim.url}${path}`,
    maxRetries: 0,
    defaultHeaders: headers,
  });

const weatherParameters = {
  type: 'object',
  properties: {
    city: { type: 'string' },
    days: { type: 'integer' },
    metric: { type: 'boolean' },
    note: { type: 'string' },
  },
  required: ['city', 'days', 'metric'],
};
const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Weather for a city',
    parameters: weatherParameters,
  },
};

// 4800 characters: 1200 tokens + 4 of message overhead = a 1204-token cacheable prefix.
const LONG_SYSTEM = 'You are a careful assistant. '.repeat(170).slice(0, 4800);

describe('logprobs on the OpenAI-shaped targets', () => {
  it('returns choices[].logprobs.content with token, logprob, bytes and top_logprobs', async () => {
    const completion = await client('/openai/v1').chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Say hi' }],
      logprobs: true,
      top_logprobs: 2,
    });
    const tokens = textTokens(replyWords('openai', 'gpt-4o', 'Say hi', TOKENS));
    const content = completion.choices[0]?.logprobs?.content ?? [];
    expect(content.map((entry) => entry.token)).toEqual(tokens);
    const second = content[1];
    expect(second?.bytes).toEqual([...new TextEncoder().encode(tokens[1])]);
    expect(second?.logprob).toBeLessThanOrEqual(0);
    expect(second?.top_logprobs).toEqual([
      { token: tokens[1], logprob: second?.logprob, bytes: second?.bytes },
      {
        token: `${tokens[1]}~1`,
        logprob: Math.round(((second?.logprob ?? 0) - 0.75) * 1e6) / 1e6,
        bytes: [...new TextEncoder().encode(`${tokens[1]}~1`)],
      },
    ]);
    expect(completion.choices[0]?.logprobs?.refusal).toBeNull();
  });

  it('streams one logprobs entry per content chunk on the compat target, none unasked', async () => {
    const stream = await client('/compat/v1').chat.completions.create({
      model: 'Qwen/Qwen2.5-7B-Instruct',
      messages: [{ role: 'user', content: 'Say hi' }],
      stream: true,
      logprobs: true,
    });
    const streamed: unknown[] = [];
    for await (const chunk of stream) streamed.push(...(chunk.choices[0]?.logprobs?.content ?? []));
    const tokens = textTokens(replyWords('compat', 'Qwen/Qwen2.5-7B-Instruct', 'Say hi', TOKENS));
    expect(streamed.map((entry) => (entry as { token: string }).token)).toEqual(tokens);
    expect(
      streamed.every((entry) => (entry as { top_logprobs: [] }).top_logprobs.length === 0),
    ).toBe(true);
    const plain = await client('/compat/v1').chat.completions.create({
      model: 'Qwen/Qwen2.5-7B-Instruct',
      messages: [{ role: 'user', content: 'Say hi' }],
    });
    expect(plain.choices[0]?.logprobs).toBeNull();
  });
});

describe('OpenAI route', () => {
  it('answers a chat completion with deterministic words and usage', async () => {
    const completion = await client('/openai/v1').chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Say hi' }],
    });
    expect(completion.object).toBe('chat.completion');
    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(completion.system_fingerprint).toBe('fp_sim0001');
    expect(completion.choices[0]?.message.content).toBe(
      replyText('openai', 'gpt-4o', 'Say hi', TOKENS),
    );
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    // ceil(6 / 4) + 4 of message overhead.
    expect(completion.usage).toMatchObject({
      prompt_tokens: 6,
      completion_tokens: TOKENS,
      total_tokens: 6 + TOKENS,
      prompt_tokens_details: { cached_tokens: 0 },
    });
  });

  it('streams role, content deltas, finish reason, then usage when include_usage is set', async () => {
    const stream = await client('/openai/v1').chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Stream please' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe(replyText('openai', 'gpt-4o-mini', 'Stream please', TOKENS));
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage?.completion_tokens).toBe(TOKENS);
    // One chunk per token, plus the finish and usage chunks (the role rides with the first token).
    expect(chunks).toHaveLength(TOKENS + 3);
  });

  it('omits the usage chunk without include_usage', async () => {
    const stream = await client('/openai/v1').chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'x' }],
      stream: true,
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.every((c) => c.usage === undefined)).toBe(true);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
  });

  it('calls the first tool with its required parameters filled in', async () => {
    const completion = await client('/openai/v1').chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [weatherTool],
    });
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.content).toBeNull();
    const call = choice?.message.tool_calls?.[0];
    expect(call?.type).toBe('function');
    if (call?.type !== 'function') throw new Error('expected a function call');
    expect(call.id).toMatch(/^call_/);
    expect(call.function.name).toBe('get_weather');
    expect(JSON.parse(call.function.arguments)).toEqual({ city: 'sample', days: 1, metric: true });
  });

  it('streams a tool call that the SDK reassembles', async () => {
    const stream = client('/openai/v1').chat.completions.stream({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Weather?' }],
      tools: [
        { type: 'function', function: { name: 'noop', parameters: { type: 'object' } } },
        weatherTool,
      ],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
    });
    const final = await stream.finalChatCompletion();
    const call = final.choices[0]?.message.tool_calls?.[0];
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
    if (call?.type !== 'function') throw new Error('expected a function call');
    expect(call.function.name).toBe('get_weather');
    expect(JSON.parse(call.function.arguments)).toEqual({ city: 'sample', days: 1, metric: true });
  });

  it('answers in text after a tool result, so runTools completes', async () => {
    const calls: unknown[] = [];
    const runner = client('/openai/v1').chat.completions.runTools({
      model: 'gpt-4o',
      stream: true,
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'Weather for a city',
            parameters: weatherParameters,
            parse: JSON.parse,
            function: (args: unknown) => {
              calls.push(args);
              return { forecast: 'sunny' };
            },
          },
        },
      ],
    });
    const content = await runner.finalContent();
    expect(calls).toEqual([{ city: 'sample', days: 1, metric: true }]);
    expect(content).toBe(replyText('openai', 'gpt-4o', '{"forecast":"sunny"}', TOKENS));
  });

  it('does not call a tool when tool_choice is none', async () => {
    const completion = await client('/openai/v1').chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'hi' }],
      tools: [weatherTool],
      tool_choice: 'none',
    });
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.choices[0]?.message.tool_calls).toBeUndefined();
  });

  it('answers valid JSON in JSON mode', async () => {
    const completion = await client('/openai/v1').chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'json please' }],
      response_format: { type: 'json_object' },
    });
    expect(JSON.parse(completion.choices[0]?.message.content ?? '')).toEqual({
      reply: replyText('openai', 'gpt-4o', 'json please', TOKENS),
    });
  });

  it('stops at max_tokens with finish_reason length', async () => {
    const completion = await client('/openai/v1').chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'long' }],
      max_tokens: 3,
    });
    const words = replyText('openai', 'gpt-4o', 'long', TOKENS).split(' ');
    expect(completion.choices[0]?.finish_reason).toBe('length');
    expect(completion.choices[0]?.message.content).toBe(words.slice(0, 3).join(' '));
    expect(completion.usage?.completion_tokens).toBe(3);
  });

  it('reports cached tokens when a long prefix comes back, in 128-token blocks', async () => {
    const ask = (question: string) =>
      client('/openai/v1').chat.completions.create({
        model: 'gpt-4o',
        messages: [
          { role: 'system', content: LONG_SYSTEM },
          { role: 'user', content: question },
        ],
      });
    const first = await ask('question one');
    const second = await ask('question two');
    expect(first.usage?.prompt_tokens).toBe(1204 + 4 + 3);
    expect(first.usage?.prompt_tokens_details?.cached_tokens).toBe(0);
    expect(second.usage?.prompt_tokens_details?.cached_tokens).toBe(1152);
  });

  it('keys the cache by prompt_cache_key', async () => {
    const ask = (key: string) =>
      client('/openai/v1').chat.completions.create({
        model: 'gpt-4o',
        prompt_cache_key: key,
        messages: [
          { role: 'system', content: LONG_SYSTEM },
          { role: 'user', content: 'q' },
        ],
      });
    await ask('tenant-a');
    expect((await ask('tenant-b')).usage?.prompt_tokens_details?.cached_tokens).toBe(0);
    expect((await ask('tenant-a')).usage?.prompt_tokens_details?.cached_tokens).toBe(1152);
  });

  it('never caches a prefix shorter than 1024 tokens', async () => {
    const ask = () =>
      client('/openai/v1').chat.completions.create({
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'short prompt' }],
      });
    await ask();
    expect((await ask()).usage?.prompt_tokens_details?.cached_tokens).toBe(0);
  });

  it('lists models', async () => {
    const models = await client('/openai/v1').models.list();
    expect(models.data.map((m) => m.id)).toContain('gpt-4o');
  });

  it('rejects a request without a bearer key with 401 in the OpenAI envelope', async () => {
    const res = await fetch(`${sim.url}/openai/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({
      error: { type: 'invalid_request_error', code: 'invalid_api_key', param: null },
    });
  });

  it('rejects an invalid body with 400', async () => {
    const error = await client('/openai/v1')
      .chat.completions.create({ model: 'gpt-4o', messages: [] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).message).toContain("'messages'");
    const res = await fetch(`${sim.url}/openai/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer k' },
      body: '{not json',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
  });
});

describe('compat (vLLM-like) route', () => {
  it('answers with cmpl- ids and no system_fingerprint', async () => {
    const model = 'meta-llama/Llama-3.1-8B-Instruct';
    const completion = await client('/compat/v1').chat.completions.create({
      model,
      messages: [{ role: 'user', content: 'hello' }],
    });
    expect(completion.id).toMatch(/^cmpl-/);
    expect(completion).not.toHaveProperty('system_fingerprint');
    expect(completion.choices[0]?.message.content).toBe(
      replyText('compat', model, 'hello', TOKENS),
    );
  });

  it('streams with include_usage and reports cached tokens', async () => {
    const ask = async () => {
      const stream = await client('/compat/v1').chat.completions.create({
        model: 'm',
        messages: [
          { role: 'system', content: LONG_SYSTEM },
          { role: 'user', content: 'q' },
        ],
        stream: true,
        stream_options: { include_usage: true },
      });
      const chunks = [];
      for await (const chunk of stream) chunks.push(chunk);
      expect(chunks.every((c) => c.system_fingerprint === undefined)).toBe(true);
      return chunks.at(-1)?.usage;
    };
    expect((await ask())?.prompt_tokens_details?.cached_tokens).toBe(0);
    expect((await ask())?.prompt_tokens_details?.cached_tokens).toBe(1152);
  });

  it('lists models', async () => {
    const models = await client('/compat/v1').models.list();
    expect(models.data.length).toBeGreaterThan(0);
  });
});

describe('Workers AI OpenAI-compatible route', () => {
  const model = '@cf/meta/llama-3.1-8b-instruct-fast';

  it('answers chat completions and streams with usage', async () => {
    const completion = await client(WORKERS_AI_V1).chat.completions.create({
      model,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(completion.choices[0]?.message.content).toBe(
      replyText('workers-ai', model, 'hi', TOKENS),
    );
    const stream = await client(WORKERS_AI_V1).chat.completions.create({
      model,
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let completionTokens = 0;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      completionTokens = chunk.usage?.completion_tokens ?? completionTokens;
    }
    expect(text).toBe(replyText('workers-ai', model, 'hi', TOKENS));
    expect(completionTokens).toBe(TOKENS);
  });

  it('caches only within the same x-session-affinity, never on the first request', async () => {
    const ask = async (affinity?: string) => {
      const headers: Record<string, string> = affinity ? { 'x-session-affinity': affinity } : {};
      const completion = await client(WORKERS_AI_V1, headers).chat.completions.create({
        model,
        messages: [
          { role: 'system', content: LONG_SYSTEM },
          { role: 'user', content: 'q' },
        ],
      });
      return completion.usage?.prompt_tokens_details?.cached_tokens;
    };
    expect(await ask()).toBe(0);
    expect(await ask()).toBe(0);
    expect(await ask('session-1')).toBe(0);
    expect(await ask('session-2')).toBe(0);
    expect(await ask('session-1')).toBe(1152);
    const log = await bodyOf<{ requests: LoggedRequest[] }>(
      fetch(`${sim.url}/_sim/requests?limit=1`),
    );
    expect(log.requests[0]?.headers['x-session-affinity']).toBe('session-1');
  });

  it('ignores max_tokens for Kimi but honours max_completion_tokens', async () => {
    const kimi = '@cf/moonshotai/kimi-k2.6';
    const ask = (limits: { max_tokens?: number; max_completion_tokens?: number }) =>
      client(WORKERS_AI_V1).chat.completions.create({
        model: kimi,
        messages: [{ role: 'user', content: 'x' }],
        ...limits,
      });
    expect((await ask({ max_tokens: 2 })).choices[0]?.finish_reason).toBe('stop');
    const limited = await ask({ max_completion_tokens: 2 });
    expect(limited.choices[0]?.finish_reason).toBe('length');
    expect(limited.usage?.completion_tokens).toBe(2);
  });

  it('lists models', async () => {
    const models = await client(WORKERS_AI_V1).models.list();
    expect(models.data.map((m) => m.id)).toContain('@cf/moonshotai/kimi-k2.6');
  });
});
