import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { replyText, replyWords, textTokens } from '../chat/reply-words.ts';
import { type Simulator, startSimulator } from '../server.ts';
import type { StatsSnapshot } from '../state/stats.ts';
import { simLogprobs } from './logprobs.ts';

const TOKENS = 8;
let sim: Simulator;
let client: OpenAI;

beforeAll(async () => {
  sim = await startSimulator({ ttftMs: 0, itlMs: 0, tokens: TOKENS });
  client = new OpenAI({ apiKey: 'sk-test', baseURL: `${sim.url}/openai/v1`, maxRetries: 0 });
});
afterAll(() => sim.close());
beforeEach(async () => {
  await fetch(`${sim.url}/_sim/reset`, { method: 'POST' });
});

const WEATHER = {
  type: 'function' as const,
  name: 'get_weather',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  strict: false,
};

describe("the simulated OpenAI's POST /v1/responses (the openai SDK)", () => {
  it('answers a response object with its text, usage and cached tokens', async () => {
    const response = await client.responses.create({
      model: 'gpt-4.1',
      instructions: 'Be brief.',
      input: 'Say hi',
    });
    expect(response).toMatchObject({
      object: 'response',
      status: 'completed',
      model: 'gpt-4.1',
      incomplete_details: null,
      output: [{ type: 'message', role: 'assistant', status: 'completed' }],
      usage: { output_tokens: TOKENS, input_tokens_details: { cached_tokens: 0 } },
    });
    expect(response.id).toMatch(/^resp_/);
    expect(response.output_text).toBe(replyText('openai', 'gpt-4.1', 'Say hi', TOKENS));
    const stats = (await (await fetch(`${sim.url}/_sim/stats`)).json()) as StatsSnapshot;
    expect(stats.targets.openai['gpt-4.1']).toMatchObject({ calls: 1, completed: 1 });
  });

  it('streams the typed events, numbered from 0, the text as deltas', async () => {
    const stream = await client.responses.create({
      model: 'gpt-4.1',
      input: 'Say hi',
      stream: true,
    });
    const events = [];
    for await (const event of stream) events.push(event);
    expect(events.map((event) => event.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      ...Array.from({ length: TOKENS }, () => 'response.output_text.delta'),
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, i) => i));
    const text = events.flatMap((e) => (e.type === 'response.output_text.delta' ? [e.delta] : []));
    expect(text.join('')).toBe(replyText('openai', 'gpt-4.1', 'Say hi', TOKENS));
    expect(events.at(-1)).toMatchObject({
      response: {
        status: 'completed',
        output: [{ type: 'message', content: [{ type: 'output_text', text: text.join('') }] }],
        usage: { output_tokens: TOKENS },
      },
    });
  });

  it('calls a function tool (its arguments streamed in deltas), and answers its output with text', async () => {
    const stream = await client.responses.create({
      model: 'gpt-4.1',
      input: 'Weather in Oslo?',
      tools: [WEATHER],
      stream: true,
    });
    const types: string[] = [];
    let args = '';
    let done: unknown;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'response.function_call_arguments.delta') args += event.delta;
      if (event.type === 'response.completed') done = event.response;
    }
    expect(types.slice(0, 3)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
    ]);
    expect(types.slice(-3)).toEqual([
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(JSON.parse(args)).toEqual({ city: expect.any(String) });
    const call = (done as OpenAI.Responses.Response).output[0];
    expect(call).toMatchObject({ type: 'function_call', name: 'get_weather', arguments: args });
    if (call?.type !== 'function_call') throw new Error('no function call');

    const answer = await client.responses.create({
      model: 'gpt-4.1',
      tools: [WEATHER],
      input: [
        { role: 'user', content: 'Weather in Oslo?' },
        {
          type: 'function_call',
          call_id: call.call_id,
          name: call.name,
          arguments: call.arguments,
        },
        { type: 'function_call_output', call_id: call.call_id, output: '{"celsius":4}' },
      ],
    });
    expect(answer.output.map((item) => item.type)).toEqual(['message']);
  });

  it('answers logprobs where include asks for them, each token with its top_logprobs', async () => {
    const tokens = textTokens(replyWords('openai', 'gpt-4.1', 'Say hi', TOKENS));
    const expected = simLogprobs(tokens, 2);
    const asked = {
      model: 'gpt-4.1',
      input: 'Say hi',
      include: ['message.output_text.logprobs' as const],
      top_logprobs: 2,
    };
    const whole = await client.responses.create(asked);
    expect(whole.output[0]).toMatchObject({ content: [{ logprobs: expected }] });
    const stream = await client.responses.create({ ...asked, stream: true });
    const perDelta = [];
    for await (const event of stream) {
      if (event.type === 'response.output_text.delta') perDelta.push(...event.logprobs);
    }
    expect(perDelta).toEqual(expected);
    const plain = await client.responses.create({ model: 'gpt-4.1', input: 'Say hi' });
    expect(plain.output[0]).toMatchObject({ content: [{ logprobs: [] }] });
  });

  it('cuts at max_output_tokens: incomplete, streamed or not', async () => {
    const cut = await client.responses.create({
      model: 'gpt-4.1',
      input: 'Say hi',
      max_output_tokens: 3,
    });
    expect(cut).toMatchObject({
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
      usage: { output_tokens: 3 },
    });
    const stream = await client.responses.create({
      model: 'gpt-4.1',
      input: 'Say hi',
      max_output_tokens: 3,
      stream: true,
    });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types.at(-1)).toBe('response.incomplete');
  });

  const fault = (spec: Record<string, unknown>) =>
    fetch(`${sim.url}/_sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ target: 'openai', count: 1, ...spec }),
    });

  it('answers faults as OpenAI: an error status, a typed error event mid-stream, a cut', async () => {
    await fault({ kind: 'error', status: 500 });
    await expect(client.responses.create({ model: 'gpt-4.1', input: 'hi' })).rejects.toMatchObject({
      status: 500,
    });
    await fault({ kind: 'error', status: 500, midStream: true });
    const types: string[] = [];
    const erred = await (async () => {
      const stream = await client.responses.create({ model: 'gpt-4.1', input: 'hi', stream: true });
      for await (const event of stream) types.push(event.type);
    })().catch((error: unknown) => error);
    // The SDK throws on the error event, after the events before it.
    expect(erred).toBeInstanceOf(OpenAI.APIError);
    expect((erred as Error).message).toMatch(/simulated fault, HTTP 500/);
    expect(types[0]).toBe('response.created');
    expect(types).not.toContain('response.completed');
    await fault({ kind: 'reset_mid_stream' });
    const cut = await (async () => {
      const stream = await client.responses.create({ model: 'gpt-4.1', input: 'hi', stream: true });
      for await (const _event of stream) {
        // read to the cut
      }
    })().catch((error: unknown) => error);
    expect(cut).toBeInstanceOf(Error);
  });
});
