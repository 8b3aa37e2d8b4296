import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  type ConverseStreamOutput,
  ServiceUnavailableException,
  ThrottlingException,
  type Tool,
} from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { replyText } from '../chat/reply-words.ts';
import { type Simulator, startSimulator } from '../server.ts';
import type { LoggedRequest } from '../state/request-log.ts';
import { bodyOf } from '../testing/body-of.ts';

const TOKENS = 6;
const MODEL = 'anthropic.claude-3-5-sonnet-20240620-v1:0';
let sim: Simulator;
let client: BedrockRuntimeClient;

beforeAll(async () => {
  sim = await startSimulator({ ttftMs: 0, itlMs: 0, tokens: TOKENS });
  client = new BedrockRuntimeClient({
    endpoint: `${sim.url}/bedrock`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    maxAttempts: 1,
  });
});
afterAll(async () => {
  client.destroy();
  await sim.close();
});
beforeEach(async () => {
  await fetch(`${sim.url}/_sim/reset`, { method: 'POST' });
});

const addFault = (fault: Record<string, unknown>) =>
  fetch(`${sim.url}/_sim/faults`, { method: 'POST', body: JSON.stringify(fault) });

const hi = [{ role: 'user' as const, content: [{ text: 'hi' }] }];
const tools: Tool[] = [
  {
    toolSpec: {
      name: 'lookup_order',
      description: 'Find an order',
      inputSchema: {
        json: {
          type: 'object',
          properties: { orderId: { type: 'string' }, verbose: { type: 'boolean' } },
          required: ['orderId'],
        },
      },
    },
  },
];

const collect = async (stream: AsyncIterable<ConverseStreamOutput> | undefined) => {
  const events: ConverseStreamOutput[] = [];
  for await (const event of stream ?? []) events.push(event);
  return events;
};

describe('Bedrock Converse', () => {
  it('answers text with end_turn, usage and metrics', async () => {
    const out = await client.send(new ConverseCommand({ modelId: MODEL, messages: hi }));
    expect(out.output?.message).toEqual({
      role: 'assistant',
      content: [{ text: replyText('bedrock', MODEL, 'hi', TOKENS) }],
    });
    expect(out.stopReason).toBe('end_turn');
    expect(out.usage).toEqual({
      inputTokens: 5,
      outputTokens: TOKENS,
      totalTokens: 5 + TOKENS,
      cacheReadInputTokens: 0,
      cacheWriteInputTokens: 0,
    });
    expect(out.metrics?.latencyMs).toBeTypeOf('number');
  });

  it('calls a tool with its required input, then answers the tool result in text', async () => {
    const out = await client.send(
      new ConverseCommand({ modelId: MODEL, messages: hi, toolConfig: { tools } }),
    );
    expect(out.stopReason).toBe('tool_use');
    const toolUse = out.output?.message?.content?.[0]?.toolUse;
    expect(toolUse?.name).toBe('lookup_order');
    expect(toolUse?.toolUseId).toMatch(/^tooluse_/);
    expect(toolUse?.input).toEqual({ orderId: 'sample' });

    const followUp = await client.send(
      new ConverseCommand({
        modelId: MODEL,
        toolConfig: { tools },
        messages: [
          ...hi,
          {
            role: 'assistant',
            content: [{ toolUse: toolUse ?? { toolUseId: '', name: '', input: {} } }],
          },
          {
            role: 'user',
            content: [
              {
                toolResult: { toolUseId: toolUse?.toolUseId ?? '', content: [{ text: 'shipped' }] },
              },
            ],
          },
        ],
      }),
    );
    expect(followUp.stopReason).toBe('end_turn');
    expect(followUp.output?.message?.content).toEqual([
      { text: replyText('bedrock', MODEL, 'shipped', TOKENS) },
    ]);
  });

  it('stops at inferenceConfig.maxTokens with max_tokens', async () => {
    const out = await client.send(
      new ConverseCommand({ modelId: MODEL, messages: hi, inferenceConfig: { maxTokens: 2 } }),
    );
    expect(out.stopReason).toBe('max_tokens');
    expect(out.usage?.outputTokens).toBe(2);
  });

  it('writes the prefix up to a cachePoint, then reads it back on a repeat', async () => {
    const ask = (question: string) =>
      client.send(
        new ConverseCommand({
          modelId: MODEL,
          system: [{ text: 'p'.repeat(4800) }, { cachePoint: { type: 'default' } }],
          messages: [{ role: 'user', content: [{ text: question }] }],
        }),
      );
    const first = await ask('q1');
    expect(first.usage).toMatchObject({
      inputTokens: 5,
      cacheWriteInputTokens: 1200,
      cacheReadInputTokens: 0,
      totalTokens: 5 + 1200 + TOKENS,
    });
    const second = await ask('q2');
    expect(second.usage).toMatchObject({
      inputTokens: 5,
      cacheWriteInputTokens: 0,
      cacheReadInputTokens: 1200,
    });
    const log = await bodyOf<{ requests: LoggedRequest[] }>(
      fetch(`${sim.url}/_sim/requests?limit=1`),
    );
    expect(log.requests[0]).toMatchObject({
      target: 'bedrock',
      model: MODEL,
      path: `/bedrock/model/${encodeURIComponent(MODEL)}/converse`,
      body: { system: [{ text: 'p'.repeat(4800) }, { cachePoint: { type: 'default' } }] },
    });
  });

  it('surfaces a throttling fault as the SDK ThrottlingException', async () => {
    await addFault({ target: 'bedrock', kind: 'rate_limit' });
    const error = await client
      .send(new ConverseCommand({ modelId: MODEL, messages: hi }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ThrottlingException);
    expect((error as ThrottlingException).$metadata.httpStatusCode).toBe(429);
  });
});

describe('Bedrock ConverseStream', () => {
  it('streams text deltas between messageStart and messageStop, then metadata', async () => {
    const out = await client.send(new ConverseStreamCommand({ modelId: MODEL, messages: hi }));
    const events = await collect(out.stream);
    expect(events[0]).toEqual({ messageStart: { role: 'assistant' } });
    const text = events.map((e) => e.contentBlockDelta?.delta?.text ?? '').join('');
    expect(text).toBe(replyText('bedrock', MODEL, 'hi', TOKENS));
    expect(events.slice(-3)).toEqual([
      { contentBlockStop: { contentBlockIndex: 0 } },
      { messageStop: { stopReason: 'end_turn' } },
      {
        metadata: {
          usage: {
            inputTokens: 5,
            outputTokens: TOKENS,
            totalTokens: 5 + TOKENS,
            cacheReadInputTokens: 0,
            cacheWriteInputTokens: 0,
          },
          metrics: { latencyMs: 0 },
        },
      },
    ]);
  });

  it('streams a tool call: contentBlockStart with the tool, input in fragments', async () => {
    const out = await client.send(
      new ConverseStreamCommand({ modelId: MODEL, messages: hi, toolConfig: { tools } }),
    );
    const events = await collect(out.stream);
    const start = events.find((e) => e.contentBlockStart)?.contentBlockStart;
    expect(start?.start?.toolUse?.name).toBe('lookup_order');
    expect(start?.start?.toolUse?.toolUseId).toMatch(/^tooluse_/);
    const fragments = events.flatMap((e) => e.contentBlockDelta?.delta?.toolUse?.input ?? []);
    expect(fragments.length).toBeGreaterThan(1);
    expect(JSON.parse(fragments.join(''))).toEqual({ orderId: 'sample' });
    expect(events.find((e) => e.messageStop)?.messageStop?.stopReason).toBe('tool_use');
  });

  it('throws a mid-stream exception event as the modelled SDK error', async () => {
    await addFault({ target: 'bedrock', kind: 'error', status: 503, midStream: true });
    const out = await client.send(new ConverseStreamCommand({ modelId: MODEL, messages: hi }));
    const seen: ConverseStreamOutput[] = [];
    const error = await (async () => {
      for await (const event of out.stream ?? []) seen.push(event);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableException);
    expect(seen.filter((e) => e.contentBlockDelta)).toHaveLength(TOKENS / 2);
  });
});
