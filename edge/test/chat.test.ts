import { describe, expect, it } from 'vitest';
import { appWith, callWorker, ESCALATING, LONG, SHORT, sseEvents } from './helpers.ts';

describe('chat completions through the Worker', () => {
  it('answers a short prompt from the edge tier with routing and timing headers', async () => {
    const res = await callWorker({
      body: { model: 'auto', messages: SHORT },
      headers: { 'x-request-id': 'req-123' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('req-123');
    expect(res.headers.get('x-router-tier')).toBe('edge');
    expect(res.headers.get('x-router-provider')).toBe('workers-ai');
    expect(res.headers.get('x-router-model')).toBe('glm-flash');
    expect(res.headers.get('x-router-reasons')).toBe('simple_prompt');
    expect(res.headers.get('server-timing')).toMatch(
      /^policy;dur=[\d.]+, classify;dur=[\d.]+, ttft;dur=[\d.]+, total;dur=[\d.]+$/,
    );
    const body = (await res.json()) as {
      object: string;
      choices: { message: { content: string } }[];
      usage: { completion_tokens: number };
    };
    expect(body.object).toBe('chat.completion');
    expect(body.choices[0]?.message.content).toMatch(/\S/);
    expect(body.usage.completion_tokens).toBeGreaterThan(0);
  });

  it('escalates to regional, signed, and passes regional’s provider and model through', async () => {
    const call = appWith(ESCALATING);
    const res = await call({ body: { model: 'auto', messages: LONG } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-router-tier')).toBe('regional');
    expect(res.headers.get('x-router-provider')).toBe('openai');
    expect(res.headers.get('x-router-model')).toBe('gpt');
    expect(res.headers.get('x-router-reasons')).toMatch(/^complex_prompt/);
    expect(((await res.json()) as { object: string }).object).toBe('chat.completion');
  });

  it('streams an escalated request from regional', async () => {
    const call = appWith(ESCALATING);
    const res = await call({
      body: {
        model: 'auto',
        messages: LONG,
        stream: true,
        stream_options: { include_usage: true },
      },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-router-tier')).toBe('regional');
    expect(res.headers.get('x-router-provider')).toBe('openai');
    const events = await sseEvents(res);
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -2) as { choices: { delta: { content?: string } }[] }[];
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toMatch(/\S/);
    expect(events.at(-2)).toMatchObject({ choices: [], usage: { completion_tokens: 4 } });
  });
});
