import { replyText } from '@switchback/loadtests/sim';
import { BadRequestError } from 'openai';
import { describe, expect, it } from 'vitest';
import {
  harnessForFile,
  lastSentMessages,
  WEATHER,
  weatherRoundTrip,
} from './responses-testing.ts';

const h = harnessForFile();

describe('POST /v1/responses at the regional front door (the openai SDK)', () => {
  it('answers a Response object routed like chat, with the router headers and usage', async () => {
    const { data, response } = await h.client.responses
      .create(
        { model: 'smart', input: 'hello', instructions: 'Be brief.', metadata: { run: '1' } },
        { headers: { 'x-request-id': 'resp-42' } },
      )
      .withResponse();
    expect(response.headers.get('x-request-id')).toBe('resp-42');
    expect(response.headers.get('x-router-tier')).toBe('regional');
    expect(response.headers.get('x-router-provider')).toBe('openai');
    expect(response.headers.get('x-router-reasons')).toBe('explicit_tier');
    expect(data.id).toMatch(/^resp_[0-9a-f]{32}$/);
    expect(data.object).toBe('response');
    expect(data.status).toBe('completed');
    expect(data.instructions).toBe('Be brief.');
    expect(data.metadata).toEqual({ run: '1' });
    expect(data.output_text).toBe(replyText('openai', 'gpt-4.1', 'hello', 16));
    expect(data.output).toHaveLength(1);
    expect(data.output[0]).toMatchObject({
      type: 'message',
      role: 'assistant',
      status: 'completed',
    });
    expect(data.usage).toMatchObject({
      input_tokens: expect.any(Number),
      input_tokens_details: { cached_tokens: expect.any(Number) },
      output_tokens: 16,
    });
    expect(data.usage?.total_tokens).toBe(
      (data.usage?.input_tokens ?? 0) + (data.usage?.output_tokens ?? 0),
    );
  });

  it('streams the typed events in order, the text as deltas, usage on response.completed', async () => {
    const stream = await h.client.responses.create({
      model: 'smart',
      input: 'hello',
      stream: true,
    });
    const types: string[] = [];
    let text = '';
    const sequence: number[] = [];
    let completed: unknown;
    for await (const event of stream) {
      types.push(event.type);
      sequence.push(event.sequence_number);
      if (event.type === 'response.output_text.delta') text += event.delta;
      if (event.type === 'response.completed') completed = event.response;
    }
    const deltas = types.filter((t) => t === 'response.output_text.delta').length;
    expect(deltas).toBeGreaterThan(1);
    expect(types).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      ...Array.from({ length: deltas }, () => 'response.output_text.delta'),
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(sequence).toEqual(types.map((_, i) => i));
    expect(text).toBe(replyText('openai', 'gpt-4.1', 'hello', 16));
    expect(completed).toMatchObject({
      status: 'completed',
      output: [{ type: 'message', content: [{ type: 'output_text', text }] }],
      usage: { output_tokens: 16, input_tokens_details: { cached_tokens: expect.any(Number) } },
    });
  });

  it('runs a function-tool round trip: a function_call, then its output sent back, then text', async () => {
    const first = await h.client.responses.create({
      model: 'smart',
      input: 'What is the weather in Paris?',
      tools: [WEATHER],
    });
    const call = first.output.find((item) => item.type === 'function_call');
    expect(first.output).toHaveLength(1);
    expect(call).toMatchObject({ type: 'function_call', name: 'get_weather', status: 'completed' });
    if (call?.type !== 'function_call') throw new Error('no function call');
    expect(JSON.parse(call.arguments)).toEqual({ city: expect.any(String) });
    const second = await h.client.responses.create({
      model: 'smart',
      tools: [WEATHER],
      input: [
        { role: 'user', content: 'What is the weather in Paris?' },
        call,
        { type: 'function_call_output', call_id: call.call_id, output: '{"celsius":21}' },
      ],
    });
    expect(second.output.map((item) => item.type)).toEqual(['message']);
    expect(second.output_text.length).toBeGreaterThan(0);
    expect(await lastSentMessages(h)).toEqual(
      weatherRoundTrip('What is the weather in Paris?', call, '{"celsius":21}'),
    );
  });

  it('streams a function call as its arguments in deltas', async () => {
    const stream = await h.client.responses.create({
      model: 'smart',
      input: 'Weather in Oslo?',
      tools: [WEATHER],
      tool_choice: { type: 'function', name: 'get_weather' },
      stream: true,
    });
    const types: string[] = [];
    let args = '';
    let done = '';
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'response.function_call_arguments.delta') args += event.delta;
      if (event.type === 'response.function_call_arguments.done') done = event.arguments;
    }
    expect(types[2]).toBe('response.output_item.added');
    expect(
      types.filter((t) => t === 'response.function_call_arguments.delta').length,
    ).toBeGreaterThan(1);
    expect(types.slice(-3)).toEqual([
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(done).toBe(args);
    expect(JSON.parse(done)).toEqual({ city: expect.any(String) });
  });

  it('refuses what it cannot honour with 400 naming the Responses field', async () => {
    const refused = async (body: Record<string, unknown>) => {
      const error = await h.client.responses
        .create({ model: 'smart', input: 'hi', ...body } as never)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BadRequestError);
      return (error as BadRequestError).param;
    };
    expect(await refused({ tools: [{ type: 'web_search' }] })).toBe('tools[0].type');
    expect(await refused({ input: [{ role: 'tool', content: 'x' }] })).toBe('input[0].role');
    expect(await refused({ input: [{ role: 'user', content: 5 }] })).toBe('input[0].content');
    expect(await refused({ truncation: 'auto' })).toBe('truncation');
    expect(await refused({ temprature: 1 })).toBe('temprature');
  });
});
