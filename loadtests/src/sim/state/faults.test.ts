import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  type ConverseStreamOutput,
} from '@aws-sdk/client-bedrock-runtime';
import OpenAI, {
  APIConnectionTimeoutError,
  APIError,
  InternalServerError,
  RateLimitError,
} from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { replyText, replyWords } from '../chat/reply-words.ts';
import { type Simulator, startSimulator } from '../server.ts';
import { bodyOf } from '../testing/body-of.ts';
import type { Fault } from './fault-store.ts';
import type { ModelStats, StatsSnapshot } from './stats.ts';

const TOKENS = 8;
let sim: Simulator;
let openai: OpenAI;

beforeAll(async () => {
  sim = await startSimulator({ ttftMs: 0, itlMs: 0, tokens: TOKENS });
  openai = new OpenAI({ apiKey: 'sk-test', baseURL: `${sim.url}/openai/v1`, maxRetries: 0 });
});
afterAll(() => sim.close());
beforeEach(async () => {
  await fetch(`${sim.url}/_sim/reset`, { method: 'POST' });
});

const addFault = async (fault: Record<string, unknown>): Promise<string> => {
  const res = await fetch(`${sim.url}/_sim/faults`, {
    method: 'POST',
    body: JSON.stringify(fault),
  });
  expect(res.status).toBe(201);
  return (await bodyOf<{ id: string }>(res)).id;
};

const statsOf = async (target: string, model: string): Promise<ModelStats | undefined> => {
  const stats = await bodyOf<StatsSnapshot>(fetch(`${sim.url}/_sim/stats`));
  return stats.targets[target as keyof StatsSnapshot['targets']][model];
};

/** Polls until nothing is in flight for the model (bounded: 100 × 20 ms). */
const settledStats = async (target: string, model: string): Promise<ModelStats | undefined> => {
  for (let i = 0; i < 100; i++) {
    const stats = await statsOf(target, model);
    if (stats && stats.inFlight === 0) return stats;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return statsOf(target, model);
};

const ask = (model = 'gpt-4o', content = 'hi') =>
  openai.chat.completions.create({ model, messages: [{ role: 'user', content }] });

const askStream = (model = 'gpt-4o', options: OpenAI.RequestOptions = {}) =>
  openai.chat.completions.create(
    { model, messages: [{ role: 'user', content: 'hi' }], stream: true },
    options,
  );

describe('faults', () => {
  it('error: the SDK sees an APIError with the fault status', async () => {
    await addFault({ target: 'openai', kind: 'error', status: 503 });
    const error = await ask().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).status).toBe(503);
    expect((error as APIError).type).toBe('server_error');
    expect(await statsOf('openai', 'gpt-4o')).toEqual({
      calls: 1,
      inFlight: 0,
      completed: 1,
      clientAborted: 0,
      faulted: 1,
    });
  });

  it('error: defaults to 500', async () => {
    await addFault({ target: 'openai', kind: 'error' });
    const error = await ask().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalServerError);
    expect((error as APIError).status).toBe(500);
  });

  it('rate_limit: a RateLimitError carrying retry-after in seconds', async () => {
    await addFault({ target: 'openai', kind: 'rate_limit', delayMs: 2500 });
    const error = await ask().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).headers.get('retry-after')).toBe('3');
    expect((error as RateLimitError).code).toBe('rate_limit_exceeded');
  });

  it('rate_limit: retry-after defaults to 1 second', async () => {
    await addFault({ target: 'openai', kind: 'rate_limit' });
    const error = (await ask().catch((e: unknown) => e)) as RateLimitError;
    expect(error.headers.get('retry-after')).toBe('1');
  });

  it('stall: the client times out, and the simulator counts a client abort', async () => {
    await addFault({ target: 'openai', kind: 'stall' });
    const error = await openai.chat.completions
      .create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }, { timeout: 150 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect(await settledStats('openai', 'gpt-4o')).toEqual({
      calls: 1,
      inFlight: 0,
      completed: 0,
      clientAborted: 1,
      faulted: 1,
    });
  });

  it('stall: a streaming client gets headers, then nothing until its signal aborts', async () => {
    await addFault({ target: 'openai', kind: 'stall' });
    const signal = AbortSignal.timeout(150);
    const stream = await askStream('gpt-4o', { signal });
    const chunks: unknown[] = [];
    // The SDK ends the iteration quietly when the caller's own signal aborts it.
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks).toEqual([]);
    expect(signal.aborted).toBe(true);
    const stats = await settledStats('openai', 'gpt-4o');
    expect(stats?.clientAborted).toBe(1);
    expect(stats?.inFlight).toBe(0);
  });

  it('stall: a Bedrock call aborted by its signal counts as a client abort (HTTP/2)', async () => {
    await addFault({ target: 'bedrock', kind: 'stall' });
    const bedrock = new BedrockRuntimeClient({
      endpoint: `${sim.url}/bedrock`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
      maxAttempts: 1,
    });
    try {
      const signal = AbortSignal.timeout(150);
      const outcome = await bedrock
        .send(
          new ConverseCommand({
            modelId: 'm',
            messages: [{ role: 'user', content: [{ text: 'hi' }] }],
          }),
          { abortSignal: signal },
        )
        .then(
          (out) => out.output,
          (error: unknown) => error,
        );
      // Aborted after the headers, the SDK's HTTP/2 handler resolves an empty result, no error.
      expect(outcome === undefined || outcome instanceof Error).toBe(true);
      expect(signal.aborted).toBe(true);
      expect(await settledStats('bedrock', 'm')).toEqual({
        calls: 1,
        inFlight: 0,
        completed: 0,
        clientAborted: 1,
        faulted: 1,
      });
    } finally {
      bedrock.destroy();
    }
  });

  it('reset_mid_stream: the stream throws after about half the tokens', async () => {
    await addFault({ target: 'openai', kind: 'reset_mid_stream' });
    const stream = await askStream();
    let text = '';
    const error = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(text).toBe(replyWords('openai', 'gpt-4o', 'hi', TOKENS / 2).join(' '));
    expect(await settledStats('openai', 'gpt-4o')).toEqual({
      calls: 1,
      inFlight: 0,
      completed: 0,
      clientAborted: 0,
      faulted: 1,
    });
  });

  it('reset_mid_stream: a non-streamed body is cut short and the call fails', async () => {
    await addFault({ target: 'openai', kind: 'reset_mid_stream' });
    await expect(ask()).rejects.toThrow();
  });

  it('reset_mid_stream: Bedrock ConverseStream (HTTP/2) fails after some events', async () => {
    await addFault({ target: 'bedrock', kind: 'reset_mid_stream' });
    const bedrock = new BedrockRuntimeClient({
      endpoint: `${sim.url}/bedrock`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
      maxAttempts: 1,
    });
    try {
      const out = await bedrock.send(
        new ConverseStreamCommand({
          modelId: 'm',
          messages: [{ role: 'user', content: [{ text: 'hi' }] }],
        }),
      );
      const seen: ConverseStreamOutput[] = [];
      const error = await (async () => {
        for await (const event of out.stream ?? []) seen.push(event);
      })().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect(seen.some((e) => e.messageStop)).toBe(false);
    } finally {
      bedrock.destroy();
    }
  });

  it('error midStream: an OpenAI error event after some chunks makes the SDK throw', async () => {
    await addFault({ target: 'openai', kind: 'error', status: 502, midStream: true });
    const stream = await askStream();
    let chunks = 0;
    const error = await (async () => {
      for await (const _ of stream) chunks++;
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).message).toContain('HTTP 502');
    // The role chunk and the first half of the tokens.
    expect(chunks).toBe(1 + TOKENS / 2);
  });

  it('slow_first_token and slow_tokens still complete correctly', async () => {
    await addFault({ target: 'openai', kind: 'slow_first_token', delayMs: 40, count: 1 });
    await addFault({ target: 'openai', kind: 'slow_tokens', delayMs: 5, count: 1 });
    const expected = replyText('openai', 'gpt-4o', 'hi', TOKENS);
    expect((await ask()).choices[0]?.message.content).toBe(expected);
    let text = '';
    for await (const chunk of await askStream()) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe(expected);
    expect((await statsOf('openai', 'gpt-4o'))?.faulted).toBe(2);
  });

  it('long_answer: the answer has that many words, whole and streamed', async () => {
    await addFault({ target: 'openai', kind: 'long_answer', tokens: 3000, count: 2 });
    const expected = replyText('openai', 'gpt-4o', 'hi', 3000);
    expect(expected.split(' ')).toHaveLength(3000);
    expect((await ask()).choices[0]?.message.content).toBe(expected);
    let text = '';
    for await (const chunk of await askStream()) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe(expected);
    expect((await ask()).choices[0]?.message.content).toBe(
      replyText('openai', 'gpt-4o', 'hi', TOKENS),
    );
  });

  it('long_answer with wordsPerToken: the same words, that many in each streamed chunk', async () => {
    await addFault({ target: 'openai', kind: 'long_answer', tokens: 3000, wordsPerToken: 100 });
    const texts: string[] = [];
    for await (const chunk of await askStream()) {
      const text = chunk.choices[0]?.delta.content;
      if (text) texts.push(text);
    }
    expect(texts).toHaveLength(30);
    expect(texts.join('')).toBe(replyText('openai', 'gpt-4o', 'hi', 3000));
  });

  it('count: applies to that many matching requests, then is spent', async () => {
    const id = await addFault({ target: 'openai', kind: 'error', count: 2 });
    await expect(ask()).rejects.toThrow();
    await expect(ask()).rejects.toThrow();
    expect((await ask()).choices[0]?.finish_reason).toBe('stop');
    const { faults } = await bodyOf<{ faults: Fault[] }>(fetch(`${sim.url}/_sim/faults`));
    expect(faults).toEqual([
      { id, target: 'openai', kind: 'error', count: 2, remaining: 0, applied: 2 },
    ]);
  });

  it('probability 0: never applies', async () => {
    await addFault({ target: 'openai', kind: 'error', probability: 0 });
    for (let i = 0; i < 5; i++) expect((await ask()).choices[0]?.finish_reason).toBe('stop');
    expect((await statsOf('openai', 'gpt-4o'))?.faulted).toBe(0);
  });

  it('model and target narrow a fault', async () => {
    await addFault({ target: 'openai', model: 'gpt-4o-mini', kind: 'error' });
    await addFault({ target: 'compat', kind: 'error' });
    expect((await ask('gpt-4o')).choices[0]?.finish_reason).toBe('stop');
    await expect(ask('gpt-4o-mini')).rejects.toThrow();
  });

  it('DELETE /_sim/faults clears them', async () => {
    await addFault({ target: 'openai', kind: 'error' });
    await fetch(`${sim.url}/_sim/faults`, { method: 'DELETE' });
    expect((await ask()).choices[0]?.finish_reason).toBe('stop');
  });
});
