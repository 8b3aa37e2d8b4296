import { describe, expect, inject, it } from 'vitest';
import { appWith, configWith, simRequests, sseEvents, uniqueText } from './helpers.ts';

const KIMI = '@cf/moonshotai/kimi-k2.6';
const LLAMA = '@cf/meta/llama-3.1-8b-instruct-fast';

// Kimi is this file's alone: faults set on it cannot reach another test file's requests.
const call = appWith(
  configWith((c) => {
    c.routes = { ...c.routes, edge: { models: ['kimi', 'llama-fast'] } };
    c.budgets = { ...c.budgets, default: { ttftMs: 300, totalMs: 10_000, policyMs: 5 } };
  }),
);

const fault = (spec: Record<string, unknown>) =>
  fetch(`${inject('simUrl')}/_sim/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ target: 'workers-ai', model: KIMI, count: 1, ...spec }),
  });

const ask = (text: string, extra: Record<string, unknown> = {}) => ({
  body: { model: 'auto', messages: [{ role: 'user', content: text }], ...extra },
});

type Chunk = {
  choices: { delta: { content?: string; role?: string }; finish_reason: string | null }[];
};

describe('serving on Workers AI', () => {
  it('maps the large models’ chunk format and sends Kimi max_completion_tokens', async () => {
    const text = uniqueText('kimi');
    const res = await call(ask(text, { stream: true, max_tokens: 3 }));
    expect(res.headers.get('x-router-model')).toBe('kimi');
    const events = await sseEvents(res);
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -1) as Chunk[];
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('length');
    expect(chunks.every((c) => !('usage' in c))).toBe(true);
    const sent = (await simRequests(1_000)).find((r) => JSON.stringify(r.body).includes(text));
    expect(sent?.model).toBe(KIMI);
    expect(sent?.body).toMatchObject({ stream: true, max_completion_tokens: 3 });
    expect(sent?.body).not.toHaveProperty('max_tokens');
  });

  it('maps the older models’ {"response"} stream and JSON to OpenAI shapes', async () => {
    const streamed = await call({
      body: { model: 'llama-fast', messages: [{ role: 'user', content: 'hi' }], stream: true },
    });
    const events = await sseEvents(streamed);
    const chunks = events.slice(0, -1) as Chunk[];
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(text.split(' ')).toHaveLength(4);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
    const unary = await call({
      body: { model: 'llama-fast', messages: [{ role: 'user', content: 'hi' }] },
    });
    expect(await unary.json()).toMatchObject({
      object: 'chat.completion',
      model: LLAMA,
      choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
      usage: { completion_tokens: 4 },
    });
  });

  it('falls back to the next edge model when the first fails before answering', async () => {
    await fault({ kind: 'error', status: 500 });
    const res = await call(ask(uniqueText('fallback')));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-router-model')).toBe('llama-fast');
    expect(res.headers.get('x-router-reasons')).toBe('simple_prompt,fallback');
  });

  it('holds the headers until a first token, replacing a model that misses the TTFT budget', async () => {
    await fault({ kind: 'slow_first_token', delayMs: 2_000 });
    const res = await call(ask(uniqueText('slow'), { stream: true }));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-router-model')).toBe('llama-fast');
    expect(res.headers.get('x-router-reasons')).toBe('simple_prompt,fallback');
    expect((await sseEvents(res)).at(-1)).toBe('[DONE]');
  });

  it('ends a stream that breaks after the first token with an error event, not a retry', async () => {
    await fault({ kind: 'reset_mid_stream' });
    const res = await call(ask(uniqueText('reset'), { stream: true }));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-router-model')).toBe('kimi');
    const events = await sseEvents(res);
    expect(events).not.toContain('[DONE]');
    expect(events.at(-1)).toMatchObject({
      error: { code: 'upstream_error', type: 'server_error' },
    });
  });
});
