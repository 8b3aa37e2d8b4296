// The whole local stack (simulated providers, regional, edge in workerd via `wrangler dev`) on
// free ports, driven by the official `openai` client exactly as an application would.
import OpenAI, { AuthenticationError, BadRequestError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type Stack, startStack } from '../../loadtests/src/stack/index.ts';

const SIM_TOKENS = 8;
// The edge model (GLM-4.7-flash) thinks first: the simulator sends two reasoning tokens.
const EDGE_COMPLETION_TOKENS = SIM_TOKENS + 2;

let stack: Stack;
let client: OpenAI;
const logs: string[] = [];

const SHORT = [{ role: 'user' as const, content: 'Say hello in one short sentence.' }];
const LONG_CONTEXT = Array.from(
  { length: 400 },
  (_, i) =>
    `Section ${i}: the quarterly ledger reconciles invoices, refunds and chargebacks across regions.`,
).join('\n');
const LONG = [
  { role: 'system' as const, content: 'You are a careful financial analyst.' },
  {
    role: 'user' as const,
    content: `${LONG_CONTEXT}\n\nStep by step, reconcile the sections above, prove the totals balance, and explain each discrepancy.`,
  },
];

/** Streams a chat with usage: the tier that served it, the text and the completion tokens. */
const streamed = async (messages: typeof SHORT | typeof LONG) => {
  const { data: stream, response } = await client.chat.completions
    .create({ model: 'auto', messages, stream: true, stream_options: { include_usage: true } })
    .withResponse();
  let text = '';
  let completionTokens: number | undefined;
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta.content ?? '';
    if (chunk.usage) completionTokens = chunk.usage.completion_tokens;
  }
  return { tier: response.headers.get('x-router-tier'), text, completionTokens };
};

beforeAll(async () => {
  const ports = { edge: await freePort(), regional: await freePort(), providers: await freePort() };
  stack = await startStack({
    ports,
    sim: { ttftMs: 5, itlMs: 1, tokens: SIM_TOKENS },
    onLine: (name, line) => logs.push(`[${name}] ${line}`),
  });
  client = new OpenAI({ apiKey: 'sk-local-demo', baseURL: `${stack.edgeUrl}/v1`, maxRetries: 0 });
});

afterAll(async () => {
  await stack?.stop();
});

describe('the local stack behind the openai client', () => {
  it('answers a short prompt from the edge tier', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'auto', messages: SHORT })
      .withResponse();
    expect(response.headers.get('x-router-tier')).toBe('edge');
    expect(response.headers.get('x-router-provider')).toBe('workers-ai');
    expect(response.headers.get('x-request-id')).toMatch(/\S+/);
    expect(response.headers.get('server-timing')).toMatch(/policy;dur=.*classify;dur=.*total;dur=/);
    expect(response.headers.get('x-router-model')).toBe('glm-flash');
    expect(data.choices[0]?.message.content).toMatch(/\S/);
    expect(data.usage?.completion_tokens).toBe(EDGE_COMPLETION_TOKENS);
  });

  it('streams a short prompt from the edge tier with usage', async () => {
    const { tier: servedBy, text, completionTokens } = await streamed(SHORT);
    expect(servedBy).toBe('edge');
    expect(text).toMatch(/\S/);
    expect(completionTokens).toBe(EDGE_COMPLETION_TOKENS);
  });

  it('escalates a long reasoning prompt to the regional tier', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'auto', messages: LONG })
      .withResponse();
    expect(response.headers.get('x-router-tier')).toBe('regional');
    expect(response.headers.get('x-router-provider')).toBe('openai');
    expect(data.choices[0]?.message.content).toMatch(/\S/);
    expect(data.usage?.prompt_tokens).toBeGreaterThan(1_000);
    expect(data.usage?.completion_tokens).toBe(SIM_TOKENS);
  });

  it('streams a long reasoning prompt from the regional tier with usage', async () => {
    const { tier: servedBy, text, completionTokens } = await streamed(LONG);
    expect(servedBy).toBe('regional');
    expect(text).toMatch(/\S/);
    expect(completionTokens).toBe(SIM_TOKENS);
  });

  it('refuses a wrong key with 401 and the OpenAI envelope', async () => {
    const wrong = new OpenAI({ apiKey: 'sk-wrong', baseURL: `${stack.edgeUrl}/v1`, maxRetries: 0 });
    const error = await wrong.chat.completions
      .create({ model: 'auto', messages: SHORT })
      .catch((e) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.status).toBe(401);
    expect(error.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_api_key' });
  });

  it('refuses an unknown model with 400 and the OpenAI envelope', async () => {
    const error = await client.chat.completions
      .create({ model: 'gpt-imaginary-9', messages: SHORT })
      .catch((e) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.status).toBe(400);
    expect(error.error).toMatchObject({ code: 'model_not_found', param: 'model' });
    expect(error.message).toContain('gpt-imaginary-9');
  });

  it('lists the virtual model auto', async () => {
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toContain('auto');
  });
});
