import { describe, expect, it } from 'vitest';
import { plainText, plainTextFrom } from './plain-text-event.ts';

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
    ).toMatchObject({ kind: 'text', literal: '"a \\"b\\" c"' });
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

describe('plainTextFrom: the rest of an event after the same bytes as an earlier one', () => {
  const earlierJson = chunk('{"index":0,"delta":{"content":"first"},"finish_reason":null}');
  const earlierBytes = bytesOf(earlierJson);
  const earlier = plainText(earlierBytes, 0, earlierBytes.byteLength);
  const rest = (json: string) => {
    const bytes = bytesOf(json);
    if (earlier.kind !== 'text') throw new Error('the earlier event is text');
    return {
      from: plainTextFrom(bytes, earlier.from, bytes.byteLength, earlier),
      whole: plainText(bytes, 0, bytes.byteLength),
    };
  };

  it('reads what plainText reads, scanning from the text on', () => {
    for (const json of [
      chunk('{"index":0,"delta":{"content":"second \\"q\\""},"finish_reason":null}'),
      chunk('{"index":0,"delta":{"content":"x"},"finish_reason":"stop"}'),
      chunk('{"index":0,"delta":{"content":"x","tool_calls":[]},"finish_reason":null}'),
      chunk('{"index":0,"delta":{"content":"x"}},{"index":1,"delta":{"content":"y"}}'),
      chunk('{"index":0,"delta":{"content":"x"},"finish_reason":null}').slice(0, -3),
    ]) {
      const { from, whole } = rest(json);
      expect({ json, from }).toEqual({ json, from: whole });
    }
    expect(earlier).toMatchObject({ kind: 'text', indexedBefore: true });
  });
});
