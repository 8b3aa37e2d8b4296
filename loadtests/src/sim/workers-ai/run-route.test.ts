import type { ChatCompletion } from 'openai/resources/chat/completions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { replyText, replyWords } from '../chat/reply-words.ts';
import { type Simulator, startSimulator } from '../server.ts';
import type { LoggedRequest } from '../state/request-log.ts';
import { bodyOf } from '../testing/body-of.ts';

const TOKENS = 6;
const LLAMA = '@cf/meta/llama-3.1-8b-instruct-fast';
const GLM = '@cf/zai-org/glm-4.7-flash';
let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({ ttftMs: 0, itlMs: 0, tokens: TOKENS });
});
afterAll(() => sim.close());
beforeEach(async () => {
  await fetch(`${sim.url}/_sim/reset`, { method: 'POST' });
});

const run = (model: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${sim.url}/workers-ai/client/v4/accounts/local/ai/run/${model}`, {
    method: 'POST',
    headers: { authorization: 'Bearer cf-token', 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

/** The `data:` payloads of an SSE body, `[DONE]` kept as a string. */
const sseData = (text: string): unknown[] =>
  text
    .split('\n\n')
    .filter((event) => event.startsWith('data: '))
    .map((event) => event.slice(6))
    .map((data) => (data === '[DONE]' ? data : JSON.parse(data)));

interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
}
interface Envelope<T> {
  result: T;
  success: boolean;
}
type LegacyBody = Envelope<{
  response: string;
  usage: Usage;
  tool_calls?: Array<{ name: string; arguments: unknown }>;
}>;
type LargeBody = Envelope<ChatCompletion>;

const hi = [{ role: 'user', content: 'hi' }];
const weatherTool = {
  name: 'get_weather',
  description: 'Weather',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

describe('Workers AI run/ with an older model', () => {
  const usage = {
    prompt_tokens: 5,
    completion_tokens: TOKENS,
    total_tokens: 5 + TOKENS,
    prompt_tokens_details: { cached_tokens: 0 },
  };

  it('answers {result:{response, usage}} wrapped in the API envelope', async () => {
    const res = await run(LLAMA, { messages: hi });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      result: { response: replyText('workers-ai', LLAMA, 'hi', TOKENS), usage },
      success: true,
      errors: [],
      messages: [],
    });
  });

  it('streams {"response":"tok"} events, a usage event, then [DONE]', async () => {
    const res = await run(LLAMA, { messages: hi, stream: true });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const words = replyWords('workers-ai', LLAMA, 'hi', TOKENS);
    expect(sseData(await res.text())).toEqual([
      ...words.map((word, i) => ({ response: i === 0 ? word : ` ${word}` })),
      { response: '', usage },
      '[DONE]',
    ]);
  });

  it('takes a bare prompt and max_tokens', async () => {
    const res = await run(LLAMA, { prompt: 'hi', max_tokens: 2 });
    const body = await bodyOf<LegacyBody>(res);
    expect(body.result.response).toBe(replyWords('workers-ai', LLAMA, 'hi', 2).join(' '));
    expect(body.result.usage.completion_tokens).toBe(2);
  });

  it('answers tool_calls with object arguments, streamed as one event', async () => {
    const body = await bodyOf<LegacyBody>(run(LLAMA, { messages: hi, tools: [weatherTool] }));
    expect(body.result.response).toBe('');
    expect(body.result.tool_calls).toEqual([
      { name: 'get_weather', arguments: { city: 'sample' } },
    ]);
    const events = sseData(
      await (await run(LLAMA, { messages: hi, tools: [weatherTool], stream: true })).text(),
    );
    expect(events[0]).toEqual({
      response: '',
      tool_calls: [{ name: 'get_weather', arguments: { city: 'sample' } }],
    });
    expect(events.at(-1)).toBe('[DONE]');
  });

  it('answers in text after a tool result', async () => {
    const messages = [
      ...hi,
      { role: 'assistant', content: '', tool_calls: [{ name: 'get_weather', arguments: {} }] },
      { role: 'tool', content: 'sunny' },
    ];
    const body = await bodyOf<LegacyBody>(run(LLAMA, { messages, tools: [weatherTool] }));
    expect(body.result.tool_calls).toBeUndefined();
    expect(body.result.response).toBe(replyText('workers-ai', LLAMA, 'sunny', TOKENS));
  });
});

describe('Workers AI run/ with a large model', () => {
  it('answers an OpenAI chat.completion in result, with reasoning_content', async () => {
    const body = await bodyOf<LargeBody>(run(GLM, { messages: hi }));
    expect(body).toMatchObject({ success: true, errors: [], messages: [] });
    expect(body.result.object).toBe('chat.completion');
    expect(body.result.choices[0]?.message).toMatchObject({
      role: 'assistant',
      content: replyText('workers-ai', GLM, 'hi', TOKENS),
      reasoning_content: 'Thinking briefly.',
    });
    expect(body.result.usage).toMatchObject({
      completion_tokens: TOKENS + 2,
      completion_tokens_details: { reasoning_tokens: 2 },
    });
  });

  it('streams chunks with running usage, reasoning first, then a choices:[] totals chunk', async () => {
    const events = sseData(await (await run(GLM, { messages: hi, stream: true })).text());
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -1) as Array<{
      object: string;
      choices: Array<{ delta: Record<string, string>; finish_reason: string | null }>;
      usage: { completion_tokens: number; total_tokens: number };
    }>;
    expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true);
    expect(chunks.map((c) => c.usage.completion_tokens)).toEqual([
      0,
      ...Array.from({ length: TOKENS + 2 }, (_, i) => i + 1),
      TOKENS + 2,
      TOKENS + 2,
    ]);
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    expect(chunks[1]?.choices[0]?.delta.reasoning_content).toBe('Thinking');
    expect(chunks[2]?.choices[0]?.delta.reasoning_content).toBe(' briefly.');
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe(replyText('workers-ai', GLM, 'hi', TOKENS));
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks.at(-1)?.choices).toEqual([]);
    expect(chunks.at(-1)?.usage.total_tokens).toBe(5 + TOKENS + 2);
  });

  it('streams a tool call as OpenAI tool_calls deltas', async () => {
    const tools = [{ type: 'function', function: weatherTool }];
    const events = sseData(await (await run(GLM, { messages: hi, tools, stream: true })).text());
    const chunks = events.slice(0, -1) as Array<{
      choices: Array<{
        delta: {
          tool_calls?: Array<{ id?: string; function: { name?: string; arguments: string } }>;
        };
        finish_reason: string | null;
      }>;
    }>;
    const calls = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(calls[0]?.function.name).toBe('get_weather');
    expect(calls[0]?.id).toMatch(/^call_/);
    expect(JSON.parse(calls.map((c) => c.function.arguments).join(''))).toEqual({ city: 'sample' });
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('ignores max_tokens for Kimi; max_completion_tokens counts reasoning first', async () => {
    const kimi = '@cf/moonshotai/kimi-k2.6';
    const ignored = await bodyOf<LargeBody>(run(kimi, { messages: hi, max_tokens: 1 }));
    expect(ignored.result.choices[0]?.finish_reason).toBe('stop');
    const limited = await bodyOf<LargeBody>(run(kimi, { messages: hi, max_completion_tokens: 3 }));
    expect(limited.result.choices[0]?.finish_reason).toBe('length');
    expect(limited.result.choices[0]?.message.content).toBe(
      replyWords('workers-ai', kimi, 'hi', 1)[0],
    );
  });
});

describe('Workers AI run/ requests', () => {
  it('record the session affinity and cache within it', async () => {
    const messages = [
      { role: 'system', content: 'x'.repeat(4800) },
      { role: 'user', content: 'q' },
    ];
    const cached = async () =>
      (await bodyOf<LegacyBody>(run(LLAMA, { messages }, { 'x-session-affinity': 'sess-9' })))
        .result.usage.prompt_tokens_details.cached_tokens;
    expect(await cached()).toBe(0);
    expect(await cached()).toBe(1152);
    const log = await bodyOf<{ requests: LoggedRequest[] }>(fetch(`${sim.url}/_sim/requests`));
    expect(log.requests).toHaveLength(2);
    expect(log.requests[1]).toMatchObject({
      target: 'workers-ai',
      model: LLAMA,
      stream: false,
      headers: { 'x-session-affinity': 'sess-9' },
    });
  });

  it('need a bearer token (401 in the Cloudflare envelope)', async () => {
    const res = await fetch(`${sim.url}/workers-ai/client/v4/accounts/local/ai/run/${LLAMA}`, {
      method: 'POST',
      body: JSON.stringify({ messages: hi }),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      result: null,
      success: false,
      errors: [{ code: 10000, message: 'Authentication error' }],
      messages: [],
    });
  });

  it('reject a body without messages or prompt with 400', async () => {
    const res = await run(LLAMA, { stream: true });
    expect(res.status).toBe(400);
    expect((await bodyOf<Envelope<null>>(res)).success).toBe(false);
  });
});
