import { scanWindows as scanWindows_ } from './scan-text.ts';
import { TextStats } from './text-stats.ts';

// Imports copied to module constants, as in scan-text.ts: under Vite's module runner (vitest,
// bench) each use of an imported binding is a getter call, and these run once per text.
const scanWindows = scanWindows_;

/**
 * Windows per sampled text at most, and the characters a window should have at least: many small
 * windows (a few words each) estimate a long mixed document far better than a few large ones
 * (code, prose and another script differ fourfold in tokens per character).
 */
const MAX_WINDOWS = 64;
const MIN_WINDOW_CHARS = 16;
/** How far a window's edge moves to land between words. */
const BOUNDARY_SEARCH = 16;

const bounds = new Int32Array(2 * MAX_WINDOWS);
const sample = new TextStats();

/** Space, tab or newline: a word boundary for placing windows. */
const isBreak = (c: number): boolean => c === 32 || c === 10 || c === 13 || c === 9;

/**
 * The first word start from `at` on (a position after a space, tab or newline that is not one),
 * looking at most `BOUNDARY_SEARCH` ahead and never past `limit`; `at` itself if none is near.
 */
const wordStart = (text: string, at: number, limit: number): number => {
  const last = Math.min(limit, at + BOUNDARY_SEARCH);
  let breakBefore = isBreak(text.charCodeAt(at - 1));
  for (let p = at; p < last; p++) {
    const breakHere = isBreak(text.charCodeAt(p));
    if (breakBefore && !breakHere) return p;
    breakBefore = breakHere;
  }
  return Math.min(at, limit);
};

/**
 * Where window `k` starts in its part of the range: a fixed pseudo-random offset in [0, room]
 * from the window's number and the range's length, so the same text is always read the same way,
 * yet a text that repeats with some period cannot line every window up on the same kind of line.
 */
const offsetIn = (room: number, k: number, length: number): number =>
  ((Math.imul(k + 1, 0x9e3779b1) ^ Math.imul(length, 0x85ebca6b)) >>> 0) % (room + 1);

/**
 * Reads about `chars` characters of `text[start, end)` (longer than `chars`) as windows spread
 * over it, one in each equal part (see `offsetIn`), and adds what they hold to `stats` times the
 * range's length over the characters read. A window runs from a word's start to the next word's
 * start, so it holds whole words with the space after each, as the text does: no cut word skews
 * the token cost, no missing space the characters per word. (A single trailing space is not
 * scanned: at a text's end it would cost a token it does not cost before the next word.) PII is
 * left out: a window cannot tell a card number cut at its edge, so the caller counts the whole
 * text's with `countPii`.
 */
export const sampleText = (
  text: string,
  start: number,
  end: number,
  chars: number,
  stats: TextStats,
  weight: number,
): void => {
  const length = end - start;
  const count = Math.max(1, Math.min(MAX_WINDOWS, Math.floor(chars / MIN_WINDOW_CHARS)));
  const width = Math.floor(chars / count);
  let read = 0;
  let previousEnd = start;
  for (let k = 0; k < count; k++) {
    const part = start + Math.floor((k * length) / count);
    const room = Math.max(0, Math.floor(length / count) - width);
    const from = wordStart(text, Math.max(previousEnd, part + offsetIn(room, k, length)), end);
    const to = wordStart(text, Math.min(end, from + width), end);
    const spaceAfter =
      to - from > 1 && text.charCodeAt(to - 1) === 32 && !isBreak(text.charCodeAt(to - 2));
    bounds[2 * k] = from;
    bounds[2 * k + 1] = spaceAfter ? to - 1 : to;
    read += to - from;
    previousEnd = to;
  }
  const scale = length / Math.max(1, read);
  sample.clear();
  scanWindows(text, sample, weight, bounds, count, scale);
  stats.addScaled(sample, scale);
};
