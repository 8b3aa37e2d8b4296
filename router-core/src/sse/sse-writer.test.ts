import { describe, expect, it } from 'vitest';
import { RouterError } from '../errors/router-error.ts';
import type { ChatCompletionChunk } from '../openai/chat-response.ts';
import { createSseWriter } from './sse-writer.ts';
import type { WireEvent, WireRead } from './wire-event.ts';
import { createWireScanner } from './wire-scanner.ts';

const usage = { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 };
const content = (text: string, running?: typeof usage): ChatCompletionChunk => ({
  id: 'c1',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'm',
  choices: [{ index: 0, delta: { content: text }, finish_reason: null }],
  ...(running ? { usage: running } : {}),
});
const usageOnly: ChatCompletionChunk = { ...content(''), choices: [], usage };
const text = (bytes: Uint8Array | undefined) =>
  bytes === undefined ? undefined : new TextDecoder().decode(bytes);

describe('the SSE writer both doors use', () => {
  it('with include_usage: usage null on content chunks (running usage not passed on), totals last', () => {
    const writer = createSseWriter(true);
    expect(text(writer.chunk(content('hi', usage)))).toBe(
      'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":null}],"usage":null}\n\n',
    );
    expect(text(writer.chunk(usageOnly))).toBe(
      `data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":${JSON.stringify(usage)}}\n\n`,
    );
    expect(text(writer.done())).toBe('data: [DONE]\n\n');
  });

  it('without include_usage: no usage field and no usage-only chunk, but usage is still kept for accounting', () => {
    const writer = createSseWriter(false);
    expect(text(writer.chunk(content('hi', usage)))).not.toContain('usage');
    expect(writer.chunk(usageOnly)).toBeUndefined();
    expect(writer.usage()).toEqual(usage);
  });

  it('a failure after the first chunk is a final error event in OpenAI’s envelope', () => {
    const writer = createSseWriter(false);
    expect(JSON.parse(text(writer.error(new Error('reset')))?.slice(6) ?? '')).toEqual({
      error: {
        message: 'The upstream failed after the answer started: reset',
        type: 'server_error',
        param: null,
        code: 'upstream_error',
      },
    });
    const budget = new RouterError('budget_exceeded', 'out of time');
    expect(text(writer.error(budget))).toContain('"code":"budget_exceeded"');
  });
});

describe('pass-through of an upstream that speaks OpenAI’s wire', () => {
  const encode = (text: string) => new TextEncoder().encode(text);
  const parse = (data: string) => JSON.parse(data) as ChatCompletionChunk;
  const readOf = (...values: unknown[]): WireRead => {
    const read = createWireScanner(parse).push(
      encode(values.map((value) => `data: ${JSON.stringify(value)}\n\n`).join('')),
    );
    if (read === undefined) throw new Error('no events');
    return read;
  };
  const event = (value: unknown) => readOf(value).events[0] as WireEvent;
  const openAiContent = { ...content('hi'), usage: null };

  it('forwards OpenAI’s own bytes to a client that asked for usage, totals included', () => {
    const writer = createSseWriter(true);
    const read = readOf(openAiContent);
    expect(writer.read(read)).toBe(read.bytes);
    expect(text(writer.wire(event(usageOnly)))).toBe(`data: ${JSON.stringify(usageOnly)}\n\n`);
    expect(writer.usage()).toEqual(usage);
  });

  it('cuts usage: null out of the bytes and drops the totals for a client that did not ask, keeping the usage', () => {
    const writer = createSseWriter(false);
    expect(text(writer.wire(event(openAiContent)))).toBe(
      `data: ${JSON.stringify(content('hi'))}\n\n`,
    );
    expect(writer.wire(event(usageOnly))).toBeUndefined();
    expect(writer.usage()).toEqual(usage);
  });

  it('rewrites what OpenAI would not send: running usage on a content chunk, mapped fields', () => {
    const writer = createSseWriter(true);
    expect(text(writer.wire(event(content('hi', usage))))).toBe(text(writer.chunk(content('hi'))));
    const vllm = {
      ...openAiContent,
      choices: [{ index: 0, delta: { reasoning: 'x' }, finish_reason: null }],
    };
    expect(event(vllm).plain).toBe(false);
  });

  it('writes a read of events as one write, leaving out what the client does not get', () => {
    const writer = createSseWriter(false);
    const bytes = writer.read(readOf(openAiContent, openAiContent, usageOnly));
    const one = `data: ${JSON.stringify(content('hi'))}\n\n`;
    expect(text(bytes)).toBe(one + one);
    expect(writer.read(readOf(usageOnly))).toBeUndefined();
  });

  it('a read whose events all go out unchanged is the very bytes that came', () => {
    const writer = createSseWriter(true);
    const read = readOf(openAiContent, openAiContent);
    expect(read.exact).toBe(true);
    expect(writer.read(read)).toBe(read.bytes);
  });

  it('reads the finish reason without parsing', () => {
    const done = { ...openAiContent, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] };
    expect(event(done).finished).toBe(true);
    expect(event(openAiContent).finished).toBe(false);
  });
});
