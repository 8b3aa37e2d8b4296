import { describe, expect, it } from 'vitest';
import { ContextWindows } from './context-windows.ts';
import {
  ASK_WINDOW_CHARS,
  CONTEXT_WINDOW_CHARS,
  contextWindows,
  MAX_CONTEXT_WINDOWS,
  MIN_CONTEXT_WINDOWS,
} from './read-budget.ts';
import { TextList } from './text-list.ts';

const words = (count: number, seed: number): string =>
  Array.from(
    { length: count },
    (_, i) => ['alpha', 'be', 'gamma', 'delta', 'x'][(i * 7 + seed) % 5],
  )
    .join(' ')
    .concat('.');

const listOf = (texts: readonly (readonly [string, boolean])[]): TextList => {
  const list = new TextList();
  for (const [text, ask] of texts) list.add(text, 0.5, ask);
  return list;
};

const placed = (list: TextList, length: number, count: number) => {
  const windows = new ContextWindows();
  windows.place(list, length, count);
  return Array.from({ length: windows.count }, (_, k) => ({
    text: windows.text[k] ?? -1,
    from: windows.from[k] ?? -1,
    to: windows.to[k] ?? -1,
  }));
};

describe('ContextWindows', () => {
  const texts = [words(200, 1), words(30, 2), words(400, 3), words(90, 4)];
  const list = listOf(texts.map((text) => [text, false] as const));
  const length = texts.reduce((n, t) => n + t.length, 0);

  it('places one window in each equal part of the texts taken as one document, in order', () => {
    const windows = placed(list, length, 32);
    expect(windows).toHaveLength(32);
    let at = 0;
    const offsets = texts.map((t) => {
      const start = at;
      at += t.length;
      return start;
    });
    windows.forEach((w, k) => {
      const position = (offsets[w.text] ?? 0) + w.from;
      expect(Math.floor((position * 32) / length)).toBe(k);
    });
  });

  it('starts each window at a word and ends it before the next, inside its text, never overlapping', () => {
    const windows = placed(list, length, 32);
    for (const [k, w] of windows.entries()) {
      const text = texts[w.text] ?? '';
      expect(w.from === 0 || text[w.from - 1] === ' ').toBe(true);
      expect(text[w.from]).not.toBe(' ');
      expect(w.to).toBeLessThanOrEqual(text.length);
      expect(w.to - w.from).toBeGreaterThanOrEqual(CONTEXT_WINDOW_CHARS - 1);
      expect(text[w.to - 1]).not.toBe(' ');
      const next = windows[k + 1];
      if (next?.text === w.text) expect(next.from).toBeGreaterThan(w.to);
    }
  });

  it('reads the same request the same way every time', () => {
    expect(placed(list, length, 40)).toEqual(placed(list, length, 40));
  });

  it("leaves a long ask's head and tail to the ask, and a short ask out", () => {
    const ask = words(600, 5);
    const withAsks = listOf([
      [words(300, 6), false],
      [words(5, 7), true],
      [ask, true],
    ]);
    const middle = ask.length - 2 * ASK_WINDOW_CHARS;
    const windows = placed(withAsks, words(300, 6).length + middle, 32);
    expect(windows.some((w) => w.text === 2)).toBe(true);
    expect(windows.some((w) => w.text === 1)).toBe(false);
    for (const w of windows.filter((w) => w.text === 2)) {
      expect(w.from).toBeGreaterThanOrEqual(ASK_WINDOW_CHARS);
      expect(w.to).toBeLessThanOrEqual(ask.length - ASK_WINDOW_CHARS);
    }
  });
});

describe('contextWindows', () => {
  it.each([
    [1, MIN_CONTEXT_WINDOWS],
    [MIN_CONTEXT_WINDOWS + 10, MIN_CONTEXT_WINDOWS + 10],
    [10_000, MAX_CONTEXT_WINDOWS],
  ])('gives a context of %i texts %i windows', (texts, windows) => {
    expect(contextWindows(texts)).toBe(windows);
  });
});

describe('TextList', () => {
  it('keeps texts, weights and the ask flag in order, past its first capacity, and forgets them on release', () => {
    const list = new TextList();
    for (let i = 0; i < 100; i++) list.add(`t${i}`, i / 100, i === 99);
    expect(list.size).toBe(100);
    expect([list.texts[0], list.weights[50], list.asks[98], list.asks[99]]).toEqual([
      't0',
      0.5,
      0,
      1,
    ]);
    list.release();
    expect(list.size).toBe(0);
    expect(list.texts.slice(0, 100).every((t) => t === '')).toBe(true);
  });
});
