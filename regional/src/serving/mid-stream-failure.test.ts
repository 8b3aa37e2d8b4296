import { replyWords } from '@switchback/loadtests/sim';
import { APIError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../testing/harness.ts';
import { TEST_KEY } from '../testing/test-config.ts';

const GPT = 'gpt-4.1';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

/** The raw SSE `data:` payloads of a streamed chat request. */
const rawEvents = async (url: string, body: unknown): Promise<string[]> => {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  const text = await response.text();
  return text
    .split('\n\n')
    .filter((event) => event.startsWith('data: '))
    .map((event) => event.slice(6));
};

describe('an upstream that fails mid-stream', () => {
  it('reset_mid_stream: the client gets the partial answer, then an SSE error event, and the SDK throws', async () => {
    await h.control.fault({ target: 'openai', kind: 'reset_mid_stream', count: 1 });
    const stream = await h.client.chat.completions.create({
      model: 'smart',
      stream: true,
      messages: [{ role: 'user', content: 'tell me' }],
    });
    let text = '';
    const thrown = await (async () => {
      try {
        for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
        return undefined;
      } catch (error) {
        return error;
      }
    })();
    // The simulator sends half of its 16 tokens, then cuts the connection.
    const words = replyWords('openai', GPT, 'tell me', 16).slice(0, 8);
    expect(text).toBe(words.join(' '));
    expect(thrown).toBeInstanceOf(APIError);
    expect((thrown as APIError).message).toMatch(/^The provider failed mid-answer/);
    expect((thrown as APIError).code).toBe('upstream_error');
  });

  it('on the wire: the last event is the error envelope, with no [DONE] after it', async () => {
    await h.control.fault({ target: 'openai', kind: 'reset_mid_stream', count: 1 });
    const events = await rawEvents(h.server.url, {
      model: 'smart',
      stream: true,
      messages: [{ role: 'user', content: 'tell me' }],
    });
    expect(events).not.toContain('[DONE]');
    const last = JSON.parse(events.at(-1) ?? '{}') as { error?: Record<string, unknown> };
    expect(last.error).toMatchObject({ type: 'server_error', code: 'upstream_error', param: null });
  });

  it('an in-stream error event from the provider is passed on the same way', async () => {
    await h.control.fault({
      target: 'openai',
      kind: 'error',
      status: 500,
      midStream: true,
      count: 1,
    });
    const events = await rawEvents(h.server.url, {
      model: 'smart',
      stream: true,
      messages: [{ role: 'user', content: 'tell me' }],
    });
    const contents = events
      .slice(0, -1)
      .map(
        (e) =>
          (JSON.parse(e) as { choices: { delta: { content?: string } }[] }).choices[0]?.delta
            .content ?? '',
      );
    expect(contents.join('')).toBe(replyWords('openai', GPT, 'tell me', 16).slice(0, 8).join(' '));
    expect(JSON.parse(events.at(-1) ?? '{}')).toMatchObject({ error: { code: 'upstream_error' } });
  });
});

describe('the end-to-end budget', () => {
  it('cuts a stream that runs past it: partial answer, then a budget_exceeded error event', async () => {
    const tight = await startHarness({
      config: { budgets: { default: { ttftMs: 250, totalMs: 300, policyMs: 50 } } },
    });
    try {
      await tight.control.fault({ target: 'openai', kind: 'slow_tokens', delayMs: 100 });
      const events = await rawEvents(tight.server.url, {
        model: 'smart',
        stream: true,
        messages: [{ role: 'user', content: 'tell me' }],
      });
      expect(events.length).toBeGreaterThan(1);
      expect(JSON.parse(events.at(-1) ?? '{}')).toMatchObject({
        error: { code: 'budget_exceeded', type: 'server_error' },
      });
      // The upstream call was aborted with the budget, not left running.
      const stats = await tight.control.stats();
      expect(stats.targets.openai[GPT]).toMatchObject({ inFlight: 0, clientAborted: 1 });
    } finally {
      await tight.close();
    }
  });

  it('answers 504 budget_exceeded when a whole answer cannot be ready in time', async () => {
    const tight = await startHarness({
      config: { budgets: { default: { ttftMs: 250, totalMs: 300, policyMs: 50 } } },
    });
    try {
      await tight.control.fault({ target: 'openai', kind: 'slow_tokens', delayMs: 100 });
      const response = await fetch(`${tight.server.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'smart', messages: [{ role: 'user', content: 'x' }] }),
      });
      expect(response.status).toBe(504);
      expect(await response.json()).toEqual({
        error: {
          message: 'The request did not complete within its 300 ms budget.',
          type: 'server_error',
          param: null,
          code: 'budget_exceeded',
        },
      });
      const metrics = await (await fetch(`${tight.server.url}/metrics`)).text();
      expect(metrics).toContain(
        'router_budget_exceeded_total{budget="total",workflow="default"} 1',
      );
    } finally {
      await tight.close();
    }
  });
});
