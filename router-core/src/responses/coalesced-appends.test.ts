import { describe, expect, it } from 'vitest';
import { coalescedAppends } from './coalesced-appends.ts';
import type { SequencedEvent } from './stream-events.ts';

const event = (n: number) =>
  ({ type: 'response.output_text.delta', sequence_number: n }) as SequencedEvent;

/** An append whose writes end when the test says; records each write's sequence numbers. */
const heldAppend = () => {
  const writes: number[][] = [];
  const release: (() => void)[] = [];
  const append = (events: readonly SequencedEvent[]) => {
    writes.push(events.map((e) => e.sequence_number));
    return new Promise<void>((resolve) => release.push(resolve));
  };
  return { writes, release, append };
};

describe('coalesced event appends', () => {
  it('writes the first events at once and those that came meanwhile together next, in order', async () => {
    const held = heldAppend();
    const appends = coalescedAppends(held.append);
    appends.push([event(0)]);
    appends.push([event(1), event(2)]);
    appends.push([]);
    appends.push([event(3)]);
    expect(held.writes).toEqual([[0]]);
    held.release.shift()?.();
    await Promise.resolve();
    await Promise.resolve();
    expect(held.writes).toEqual([[0], [1, 2, 3]]);
    const done = appends.done();
    held.release.shift()?.();
    await done;
    expect(held.writes).toEqual([[0], [1, 2, 3]]);
  });

  it('a failed write fails done and the next push, and nothing after it is written', async () => {
    const writes: number[][] = [];
    const appends = coalescedAppends(async (events) => {
      writes.push(events.map((e) => e.sequence_number));
      throw new Error('object unreachable');
    });
    appends.push([event(0)]);
    await expect(appends.done()).rejects.toThrow('object unreachable');
    expect(() => appends.push([event(1)])).toThrow('object unreachable');
    expect(writes).toEqual([[0]]);
  });
});
