import { describe, expect, it } from 'vitest';
import type { ChatCompletionChunk } from '../openai/chat-response.ts';
import { createSseSource, type SseEnd, type SseSource } from './sse-source.ts';
import type { StreamItem } from './wire-event.ts';
import { createWireScanner } from './wire-scanner.ts';

const content = (text: string): ChatCompletionChunk => ({
  id: 'c1',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'm',
  choices: [{ index: 0, delta: { content: text }, finish_reason: null }],
});
const wire = (value: unknown) => {
  const read = createWireScanner((data) => JSON.parse(data) as ChatCompletionChunk).push(
    new TextEncoder().encode(`data: ${JSON.stringify(value)}\n\n`),
  );
  if (read === undefined) throw new Error('no event');
  return read;
};

/** Everything a source gives, as text, until it ends. */
const drain = async (source: SseSource) => {
  let text = source.first === undefined ? '' : new TextDecoder().decode(source.first);
  for (let i = 0; i < 100; i++) {
    const bytes = await source.next();
    if (bytes === null) return text;
    text += new TextDecoder().decode(bytes);
  }
  throw new Error('the source did not end');
};

const opened = (items: StreamItem[], failWith?: Error) => {
  const [first, ...rest] = items;
  let closed = 0;
  async function* more() {
    yield* rest;
    if (failWith) throw failWith;
  }
  return {
    first: first as StreamItem,
    rest: more(),
    close: () => {
      closed++;
    },
    closed: () => closed,
  };
};

describe('the SSE body both doors write', () => {
  it('parsed chunks and passed-through reads in one body, the approval event before [DONE]', async () => {
    const ends: SseEnd[] = [];
    const seen: string[] = [];
    const source = createSseSource(opened([content('a'), wire({ ...content('b'), usage: null })]), {
      includeUsage: false,
      onEnd: (end) => ends.push(end),
      onChunk: (chunk) => seen.push(chunk.choices[0]?.delta.content ?? ''),
      beforeDone: async () => ({ last: true }),
    });
    expect(await drain(source)).toBe(
      `data: ${JSON.stringify(content('a'))}\n\ndata: ${JSON.stringify(content('b'))}\n\ndata: {"last":true}\n\ndata: [DONE]\n\n`,
    );
    expect(seen).toEqual(['a', 'b']);
    expect(ends).toEqual([{ kind: 'done', usage: undefined }]);
  });

  it('the read that carried the upstream’s [DONE] goes out in one write with the stream’s end', async () => {
    const finish = { ...content(''), choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] };
    const scanner = createWireScanner((data) => JSON.parse(data) as ChatCompletionChunk);
    const tail = scanner.push(
      new TextEncoder().encode(`data: ${JSON.stringify(finish)}\n\ndata: [DONE]\n\n`),
    );
    expect(tail?.last).toBe(true);
    const source = createSseSource(opened([content('a'), tail as StreamItem]), {
      includeUsage: false,
      onEnd: () => {},
    });
    const writes: string[] = [];
    for (let bytes = await source.next(); bytes !== null; bytes = await source.next()) {
      writes.push(new TextDecoder().decode(bytes));
    }
    expect(writes).toEqual([`data: ${JSON.stringify(finish)}\n\ndata: [DONE]\n\n`]);
  });

  it('a failure after the first chunk is a final error event, no [DONE]', async () => {
    const ends: SseEnd[] = [];
    const source = createSseSource(opened([content('a')], new Error('reset')), {
      includeUsage: false,
      onEnd: (end) => ends.push(end),
    });
    const text = await drain(source);
    expect(text).toContain('"code":"upstream_error"');
    expect(text).not.toContain('[DONE]');
    expect(ends.map((end) => end.kind)).toEqual(['error']);
  });

  it('the client leaving closes the upstream and ends the body once', async () => {
    const ends: SseEnd[] = [];
    const stream = opened([content('a'), content('b')]);
    const source = createSseSource(stream, {
      includeUsage: false,
      onEnd: (end) => ends.push(end),
    });
    await source.cancel('gone');
    expect(await source.next()).toBeNull();
    expect(stream.closed()).toBe(1);
    expect(ends).toEqual([{ kind: 'client_closed', usage: undefined, reason: 'gone' }]);
  });
});
