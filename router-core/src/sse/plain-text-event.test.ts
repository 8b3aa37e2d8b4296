import { describe, expect, it } from 'vitest';
import { plainText } from './plain-text-event.ts';

const bytesOf = (json: string) => new TextEncoder().encode(json);
const scan = (json: string) => {
  const bytes = bytesOf(json);
  const out = plainText(bytes, 0, bytes.byteLength);
  return out.kind === 'text'
    ? { kind: 'text', literal: new TextDecoder().decode(bytes.subarray(out.from, out.to)) }
    : out;
};
const chunk = (choice: string, extra = '') =>
  `{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[${choice}]${extra}}`;

describe('plainText: an event that is nothing but choice 0 text', () => {
  it('gives the text literal of a text chunk, escapes and all', () => {
    expect(
      scan(
        chunk(
          '{"index":0,"delta":{"content":"a \\"b\\" c"},"logprobs":null,"finish_reason":null}',
          ',"usage":null',
        ),
      ),
    ).toEqual({ kind: 'text', literal: '"a \\"b\\" c"' });
    expect(
      scan(chunk('{"index":0,"delta":{"role":"assistant","content":"","refusal":null}}')),
    ).toEqual({
      kind: 'text',
      literal: '""',
    });
  });

  it('is none for a chunk with no text', () => {
    expect(scan(chunk('{"index":0,"delta":{},"finish_reason":null}'))).toEqual({ kind: 'none' });
    expect(scan(chunk('{"index":0,"delta":{"content":null}}'))).toEqual({ kind: 'none' });
  });

  it('is parse for anything more than text', () => {
    const more = [
      chunk('{"index":0,"delta":{},"finish_reason":"stop"}'),
      chunk('', ',"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}'),
      chunk('{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{}"}}]}}'),
      chunk('{"index":0,"delta":{"content":"a"},"logprobs":{"content":[]}}'),
      chunk('{"index":1,"delta":{"content":"a"}}'),
      chunk('{"index":10,"delta":{"content":"a"}}'),
      chunk('{"delta":{"content":"a"}}'),
      chunk('{"index":0,"delta":{"content":"a","reasoning_content":"b"}}'),
      chunk('{"index":0,"delta":{"content":"a"}},{"index":0,"delta":{"content":"b"}}'),
      chunk('{"index":0,"delta":{"content":"a"},"stop_reason":null}'),
      chunk('{"index":0,"content":"a","delta":{}}'),
      '{"error":{"message":"overloaded"}}',
      // Cut short or not an object.
      chunk('{"index":0,"delta":{"content":"a"}}').slice(0, -2),
      '{"id":"c","choices":[{"index":0,"delta":{"content":"a',
      '[1,2]',
      '"text"',
    ];
    for (const json of more)
      expect({ json, out: scan(json) }).toEqual({ json, out: { kind: 'parse' } });
  });
});
