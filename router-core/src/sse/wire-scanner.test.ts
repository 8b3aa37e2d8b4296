import { describe, expect, it } from 'vitest';
import type { ChatCompletionChunk } from '../openai/chat-response.ts';
import type { WireRead } from './wire-event.ts';
import { createWireScanner, scanFacts } from './wire-scanner.ts';

const encode = (text: string) => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const parse = (data: string) => JSON.parse(data) as ChatCompletionChunk;

const chunk = (delta: object, extra: object = {}) => ({
  id: 'c1',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'm',
  choices: [{ index: 0, delta, logprobs: null, finish_reason: null }],
  usage: null,
  ...extra,
});
const sse = (value: unknown) => `data: ${JSON.stringify(value)}\n\n`;
const facts = (value: unknown) => {
  const bytes = encode(JSON.stringify(value));
  return scanFacts(bytes, 0, bytes.byteLength);
};

/** Every event's JSON from a body cut into reads of `size` bytes. */
const eventsOf = (body: string, size: number) => {
  const scanner = createWireScanner(parse);
  const bytes = encode(body);
  const reads: WireRead[] = [];
  for (let at = 0; at < bytes.byteLength; at += size) {
    const read = scanner.push(bytes.slice(at, at + size));
    if (read) reads.push(read);
  }
  const last = scanner.end();
  if (last) reads.push(last);
  return { data: reads.flatMap((read) => read.events.map((e) => e.data())), scanner, reads };
};

describe('the wire scanner', () => {
  const BODY = `${sse(chunk({ role: 'assistant', content: '' }))}: keep-alive\n\n${sse(chunk({ content: 'héllo' }))}data: [DONE]\n\ndata: {"after":"done"}\n\n`;

  it('splits the bytes into events however the reads cut them; comments, [DONE] and what follows are dropped', () => {
    for (const size of [1, 2, 5, 17, 10_000]) {
      const { data, scanner } = eventsOf(BODY, size);
      expect(data).toEqual([
        JSON.stringify(chunk({ role: 'assistant', content: '' })),
        JSON.stringify(chunk({ content: 'héllo' })),
      ]);
      expect(scanner.done).toBe(true);
    }
  });

  it('reads CRLF line ends and events of several data lines as SSE says', () => {
    const body = 'data: {"a":\r\ndata: 1}\r\n\r\ndata: {"b":2}\r\n\r\n';
    expect(eventsOf(body, 3).data).toEqual(['{"a":\n1}', '{"b":2}']);
  });

  it('a last event without its blank line still counts when the body ends', () => {
    expect(eventsOf(`${sse(chunk({ content: 'a' }))}data: {"x":1}`, 4).data).toEqual([
      JSON.stringify(chunk({ content: 'a' })),
      '{"x":1}',
    ]);
  });

  it('a read of whole events is exact: its bytes are what came, in place', () => {
    const bytes = encode(sse(chunk({ content: 'a' })) + sse(chunk({ content: 'b' })));
    const read = createWireScanner(parse).push(bytes);
    expect(read?.exact).toBe(true);
    expect(read?.bytes.buffer).toBe(bytes.buffer);
    expect(read?.bytes.byteLength).toBe(bytes.byteLength);
    const withComment = createWireScanner(parse).push(
      encode(`: ping\n\n${sse(chunk({ content: 'a' }))}`),
    );
    expect(withComment?.exact).toBe(false);
  });
});

describe('what the scanner reads of an event without parsing it', () => {
  it('finish reason, usage (null, object, totals), error events and mapped fields', () => {
    expect(facts(chunk({}, {})).finished).toBe(false);
    expect(
      facts({ ...chunk({}), choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }).finished,
    ).toBe(true);
    expect(facts(chunk({ content: 'x' })).usage).toBe('null');
    expect(facts({ ...chunk({}), usage: { prompt_tokens: 1 } }).usage).toBe('object');
    expect(facts({ id: 'c', choices: [] }).usage).toBe('absent');
    expect(facts({ id: 'c', choices: [], usage: { total_tokens: 3 } }).totals).toBe(true);
    expect(facts(chunk({ content: 'x' })).totals).toBe(false);
    expect(facts({ error: { message: 'boom' } }).error).toBe(true);
    expect(facts(chunk({ reasoning: 'x' })).mapped).toBe(true);
    expect(facts(chunk({ reasoning_content: 'x' })).mapped).toBe(false);
  });

  it('tool calls, another choice and two texts are rich: the summary reads those parsed', () => {
    expect(facts(chunk({ content: 'x' })).rich).toBe(false);
    expect(facts(chunk({ tool_calls: [{ index: 0, function: { arguments: '{' } }] })).rich).toBe(
      true,
    );
    expect(facts({ ...chunk({}), choices: [{ index: 1, delta: { content: 'x' } }] }).rich).toBe(
      true,
    );
    expect(facts({ ...chunk({}), choices: [{ index: 10, delta: {} }] }).rich).toBe(true);
    expect(
      facts({
        ...chunk({}),
        choices: [
          { index: 0, delta: { content: 'a' } },
          { index: 0, delta: { content: 'b' } },
        ],
      }).rich,
    ).toBe(true);
  });

  it('a key written inside a string is text, not a key', () => {
    const found = facts(chunk({ content: '"usage":{"finish_reason":"stop"},"error":1' }));
    expect(found).toMatchObject({ usage: 'null', finished: false, error: false, rich: false });
  });

  it('the text of an event, escapes and all, and its view without the rest parsed', () => {
    const text = 'é "quoted" \\ line\nnext 😀';
    const read = createWireScanner(parse).push(encode(sse(chunk({ content: text }))));
    const event = read?.events[0];
    expect(event?.text()).toBe(text);
    expect(event?.view().choices[0]?.delta).toEqual({ content: text });
    expect(
      createWireScanner(parse)
        .push(encode(sse(chunk({}))))
        ?.events[0]?.text(),
    ).toBe(undefined);
  });

  it('cuts usage: null out of the bytes wherever the field stands', () => {
    const cut = (json: string) => {
      const read = createWireScanner(parse).push(encode(`data: ${json}\n\n`));
      return decode(read?.events[0]?.withoutUsageNull() ?? new Uint8Array());
    };
    expect(cut('{"id":"c","choices":[{"delta":{}}],"usage":null}')).toBe(
      'data: {"id":"c","choices":[{"delta":{}}]}\n\n',
    );
    expect(cut('{"usage": null, "id":"c"}')).toBe('data: { "id":"c"}\n\n');
    expect(cut('{"id":"c" , "usage" : null }')).toBe('data: {"id":"c"  }\n\n');
  });
});
