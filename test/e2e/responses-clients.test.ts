// The Responses API on the whole local stack, at both doors, through the clients that call it:
// the official `openai` SDK, the Vercel AI SDK's `@ai-sdk/openai` provider and `@openai/agents`.
import { createOpenAI } from '@ai-sdk/openai';
import {
  Agent,
  run,
  setDefaultOpenAIClient,
  setOpenAIAPI,
  setTracingDisabled,
  tool,
} from '@openai/agents';
import { generateText, streamText } from 'ai';
import OpenAI, { NotFoundError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { freePort, type Stack, startStack } from '../../loadtests/src/stack/index.ts';

const KEY = 'sk-local-demo';
const SHORT = 'Say hello in one short sentence.';
const WEATHER = {
  type: 'function' as const,
  name: 'get_weather',
  description: 'The weather in a city.',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string' } },
    required: ['city'],
    additionalProperties: false,
  },
  strict: true,
};

const GLM = '@cf/zai-org/glm-4.7-flash';

let stack: Stack;
const logs: string[] = [];

beforeAll(async () => {
  const ports = { edge: await freePort(), regional: await freePort(), providers: await freePort() };
  stack = await startStack({
    ports,
    sim: { ttftMs: 5, itlMs: 1, tokens: 8 },
    onLine: (name, line) => logs.push(`[${name}] ${line}`),
  });
  setTracingDisabled(true);
});

afterAll(async () => {
  await stack?.stop();
});

type Counters = { calls: number; inFlight: number; completed: number; clientAborted: number };
/** The simulated Workers AI's counters for the fast model both doors serve a short prompt on. */
const glmStats = async (): Promise<Counters> => {
  const stats = (await (await fetch(`${stack.providersUrl}/_sim/stats`)).json()) as {
    targets: Record<string, Record<string, Counters>>;
  };
  return (
    stats.targets['workers-ai']?.[GLM] ?? { calls: 0, inFlight: 0, completed: 0, clientAborted: 0 }
  );
};

/** Polls `check` every 100 ms, 300 times at most; whether it came true. */
const eventually = async (check: () => Promise<boolean>): Promise<boolean> => {
  for (let i = 0; i < 300; i++) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
};

const DOORS = [
  { name: 'edge', url: () => stack.edgeUrl },
  { name: 'regional', url: () => stack.regionalUrl },
] as const;

describe.each(DOORS)('the $name door behind the Responses clients', (door) => {
  const client = () => new OpenAI({ apiKey: KEY, baseURL: `${door.url()}/v1`, maxRetries: 0 });

  it('openai: responses.create answers a short prompt from the edge tier', async () => {
    const { data, response } = await client()
      .responses.create({ model: 'auto', input: SHORT })
      .withResponse();
    expect(response.headers.get('x-router-tier')).toBe('edge');
    expect(data.status).toBe('completed');
    expect(data.output_text).toMatch(/\S/);
    expect(data.usage?.input_tokens_details.cached_tokens).toEqual(expect.any(Number));
  });

  it('openai: responses.create streams, and the stream helper’s final response matches the deltas', async () => {
    const stream = client().responses.stream({ model: 'auto', input: SHORT });
    let text = '';
    stream.on('response.output_text.delta', (event) => {
      text += event.delta;
    });
    const final = await stream.finalResponse();
    expect(final.status).toBe('completed');
    expect(text).toMatch(/\S/);
    expect(final.output_text).toBe(text);
  });

  it('openai: a function-tool round trip', async () => {
    const first = await client().responses.create({
      model: 'auto',
      input: 'What is the weather in Paris?',
      tools: [WEATHER],
    });
    const call = first.output.find((item) => item.type === 'function_call');
    if (call?.type !== 'function_call')
      throw new Error(`no function call: ${JSON.stringify(first.output)}`);
    expect(call.name).toBe('get_weather');
    const second = await client().responses.create({
      model: 'auto',
      tools: [WEATHER],
      input: [
        { role: 'user', content: 'What is the weather in Paris?' },
        call,
        { type: 'function_call_output', call_id: call.call_id, output: '{"celsius":21}' },
      ],
    });
    expect(second.output.map((item) => item.type)).toEqual(['message']);
    expect(second.output_text).toMatch(/\S/);
  });

  it('openai: a function-tool round trip through previous_response_id, then retrieve and delete', async () => {
    const first = await client().responses.create({
      model: 'auto',
      input: 'What is the weather in Oslo?',
      tools: [WEATHER],
    });
    const call = first.output.find((item) => item.type === 'function_call');
    if (call?.type !== 'function_call')
      throw new Error(`no function call: ${JSON.stringify(first.output)}`);
    const second = await client().responses.create({
      model: 'auto',
      previous_response_id: first.id,
      tools: [WEATHER],
      input: [{ type: 'function_call_output', call_id: call.call_id, output: '{"celsius":4}' }],
    });
    expect(second.previous_response_id).toBe(first.id);
    expect(second.output.map((item) => item.type)).toEqual(['message']);
    expect((await client().responses.retrieve(second.id)).output_text).toBe(second.output_text);
    const items = await client().responses.inputItems.list(second.id);
    expect(items.data.map((item) => item.type)).toEqual(['function_call_output']);
    await client().responses.delete(second.id);
    await expect(client().responses.retrieve(second.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('openai: a background create answers queued at once, and polling sees it complete', async () => {
    const queued = await client().responses.create({
      model: 'auto',
      input: SHORT,
      background: true,
    });
    expect(queued).toMatchObject({ status: 'queued', background: true, output: [] });
    const ended = async () =>
      !['queued', 'in_progress'].includes(
        (await client().responses.retrieve(queued.id)).status ?? '',
      );
    expect(await eventually(ended)).toBe(true);
    const done = await client().responses.retrieve(queued.id);
    expect(done).toMatchObject({ id: queued.id, status: 'completed', background: true });
    expect(done.output_text).toMatch(/\S/);
  });

  it('openai: a background run cancelled mid-answer is cancelled, and its upstream call ends', async () => {
    const before = await glmStats();
    // One slow answer (a token a second): the run is mid-answer when it is cancelled.
    await fetch(`${stack.providersUrl}/_sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        target: 'workers-ai',
        model: GLM,
        kind: 'slow_tokens',
        delayMs: 1000,
        count: 1,
      }),
    });
    const queued = await client().responses.create({
      model: 'auto',
      input: SHORT,
      background: true,
    });
    expect(await eventually(async () => (await glmStats()).inFlight === before.inFlight + 1)).toBe(
      true,
    );
    expect((await client().responses.retrieve(queued.id)).status).toBe('in_progress');
    const cancelled = await client().responses.cancel(queued.id);
    expect(cancelled).toMatchObject({ id: queued.id, status: 'cancelled' });
    expect(await eventually(async () => (await glmStats()).inFlight === before.inFlight)).toBe(
      true,
    );
    const after = await glmStats();
    expect(after.clientAborted - before.clientAborted).toBe(1);
    expect(after.completed - before.completed).toBe(0);
    expect((await client().responses.retrieve(queued.id)).status).toBe('cancelled');
  });

  it('@ai-sdk/openai: generateText and streamText through the Responses API', async () => {
    const provider = createOpenAI({ apiKey: KEY, baseURL: `${door.url()}/v1` });
    const generated = await generateText({ model: provider('auto'), prompt: SHORT, maxRetries: 0 });
    expect(generated.text).toMatch(/\S/);
    expect(generated.finishReason).toBe('stop');
    // The provider's default surface: a Responses id, not a chat completion's.
    expect(generated.response.id).toMatch(/^resp_[0-9a-f]{32}$/);
    expect(generated.usage.inputTokens).toBeGreaterThan(0);
    const streamed = streamText({ model: provider('auto'), prompt: SHORT, maxRetries: 0 });
    let text = '';
    for await (const part of streamed.textStream) text += part;
    expect(text).toMatch(/\S/);
    expect(await streamed.finishReason).toBe('stop');
    expect((await streamed.usage).outputTokens).toBeGreaterThan(0);
  });

  it('@openai/agents: one agent with one tool runs the tool and answers', async () => {
    setDefaultOpenAIClient(client());
    setOpenAIAPI('responses');
    const cities: string[] = [];
    const weather = tool({
      name: 'get_weather',
      description: 'The weather in a city.',
      parameters: z.object({ city: z.string() }),
      execute: async ({ city }) => {
        cities.push(city);
        return `It is 21 degrees in ${city}.`;
      },
    });
    const agent = new Agent({
      name: 'forecaster',
      instructions: 'Answer with the weather tool.',
      model: 'auto',
      tools: [weather],
    });
    const result = await run(agent, 'What is the weather in Paris?');
    expect(cities).toHaveLength(1);
    expect(String(result.finalOutput)).toMatch(/\S/);
    expect(result.lastResponseId).toMatch(/^resp_[0-9a-f]{32}$/);
  });
});
