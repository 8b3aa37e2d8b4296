import { describe, expect, it } from 'vitest';
import { sseDataBatches, sseDataLines } from './sse.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const collect = async (lines: AsyncIterable<string>) => {
  const out: string[] = [];
  for await (const line of lines) out.push(line);
  return out;
};
const WIRE =
  ': comment\r\ndata: {"a":1}\r\n\r\nevent: x\ndata: line one\ndata: line two\n\ndata:[DONE]\n\n';

describe('sseDataLines', () => {
  it('reads the data of each event from any async iterable of bytes, however it is cut', async () => {
    async function* cut(size: number) {
      const all = bytes(WIRE);
      for (let i = 0; i < all.length; i += size) yield all.slice(i, i + size);
    }
    for (const size of [1, 3, 7, 1000]) {
      expect(await collect(sseDataLines(cut(size)))).toEqual([
        '{"a":1}',
        'line one\nline two',
        '[DONE]',
      ]);
    }
  });

  it('reads a web stream the same way and leaves it unlocked when the reader stops early', async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes(WIRE));
        controller.close();
      },
    });
    for await (const line of sseDataLines(stream)) {
      expect(line).toBe('{"a":1}');
      break;
    }
    expect(stream.locked).toBe(false);
  });

  it('batches the events that arrive in one read, so a burst costs one step', async () => {
    async function* reads() {
      yield bytes('data: 1\n\ndata: 2\n\ndata: 3');
      yield bytes('\n\n');
    }
    const batches: string[][] = [];
    for await (const batch of sseDataBatches(reads())) batches.push(batch);
    expect(batches).toEqual([['1', '2'], ['3']]);
  });
});
