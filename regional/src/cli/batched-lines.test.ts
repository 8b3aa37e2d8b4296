import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { batchedLines } from './batched-lines.ts';

describe('batchedLines', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('writes the lines of one interval in one write, in order, after flushMs', () => {
    const writes: string[][] = [];
    const lines = batchedLines((lines) => writes.push(lines), { flushMs: 25 });
    lines.push('a');
    lines.push('b');
    vi.advanceTimersByTime(24);
    expect(writes).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(writes).toEqual([['a', 'b']]);
    lines.push('c');
    vi.advanceTimersByTime(25);
    expect(writes).toEqual([['a', 'b'], ['c']]);
  });

  it('writes at once when a batch reaches maxChars', () => {
    const writes: string[][] = [];
    const lines = batchedLines((lines) => writes.push(lines), { maxChars: 8 });
    lines.push('abc');
    expect(writes).toEqual([]);
    lines.push('def');
    expect(writes).toEqual([['abc', 'def']]);
    vi.advanceTimersByTime(100);
    expect(writes).toEqual([['abc', 'def']]);
  });

  it('flush writes what is queued and nothing when the queue is empty', () => {
    const writes: string[][] = [];
    const lines = batchedLines((lines) => writes.push(lines));
    lines.flush();
    expect(writes).toEqual([]);
    lines.push('x');
    lines.flush();
    vi.advanceTimersByTime(100);
    expect(writes).toEqual([['x']]);
  });
});
