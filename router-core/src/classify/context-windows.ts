import {
  CONTEXT_WINDOW_CHARS,
  contextEnd as contextEnd_,
  contextStart as contextStart_,
  MAX_CONTEXT_WINDOWS,
} from './read-budget.ts';
import type { TextList } from './text-list.ts';

// Imports copied to module constants, as in scan-text.ts: under Vite's module runner (vitest,
// bench) each use of an imported binding is a getter call, and these run once per text.
const contextEnd = contextEnd_;
const contextStart = contextStart_;

const WINDOW_CHARS = CONTEXT_WINDOW_CHARS;
/** How far a window's edge moves to land between words. */
const BOUNDARY_SEARCH = 10;

/** Space, tab or newline: a word boundary for placing windows. */
const isBreak = (c: number): boolean => c === 32 || c === 10 || c === 13 || c === 9;

/**
 * The first word start from `at` on (a text's start, or a position after a space, tab or newline
 * that is not one), looking at most `BOUNDARY_SEARCH` ahead and never past `limit`; `at` itself if
 * none is near.
 */
const wordStart = (text: string, at: number, limit: number): number => {
  const last = Math.min(limit, at + BOUNDARY_SEARCH);
  let breakBefore = at === 0 || isBreak(text.charCodeAt(at - 1));
  for (let p = at; p < last; p++) {
    const breakHere = isBreak(text.charCodeAt(p));
    if (breakBefore && !breakHere) return p;
    breakBefore = breakHere;
  }
  return Math.min(at, limit);
};

/**
 * Where window `k` starts in its part of the context: a fixed pseudo-random offset in [0, room]
 * from the window's number and the context's length, so the same request is always read the same
 * way, yet texts that repeat with some period cannot line every window up on the same kind of line.
 */
const offsetIn = (room: number, k: number, length: number): number =>
  ((Math.imul(k + 1, 0x9e3779b1) ^ Math.imul(length, 0x85ebca6b)) >>> 0) % (room + 1);

/**
 * The windows read of a context too long to read whole: the context parts of a list's texts taken
 * as one document, one window in each of as many equal parts of it as there are windows. Window
 * `k` is `texts[text[k]]` from `from[k]` to `to[k]`, in the document's order; a window runs from a
 * word's start to the next word's start (a single trailing space left out: at a text's end it
 * would cost a token it does not cost before the next word), so it holds whole words, as the text
 * does, and is cut short at its text's end. One instance serves every request.
 */
export class ContextWindows {
  count = 0;
  /** Characters the windows span (trailing spaces included). */
  read = 0;
  readonly text = new Int32Array(MAX_CONTEXT_WINDOWS);
  readonly from = new Int32Array(MAX_CONTEXT_WINDOWS);
  readonly to = new Int32Array(MAX_CONTEXT_WINDOWS);

  /**
   * Places `windows` windows (at most `MAX_CONTEXT_WINDOWS`) over the context of `list`'s texts,
   * `length` characters in all.
   */
  place(list: TextList, length: number, windows: number): void {
    const { texts, asks } = list;
    const part = length / windows;
    const room = Math.max(0, Math.floor(part) - WINDOW_CHARS);
    this.count = 0;
    this.read = 0;
    // The text the walk is in, where its context part starts in the document, and its bounds.
    let t = -1;
    let text = '';
    let documentAt = 0;
    let start = 0;
    let end = 0;
    let previousEnd = 0;
    for (let k = 0; k < windows; k++) {
      const at = Math.min(length - 1, Math.floor(k * part) + offsetIn(room, k, length));
      while (at >= documentAt + end - start && t + 1 < list.size) {
        documentAt += end - start;
        t++;
        text = texts[t] ?? '';
        const ask = asks[t] === 1;
        start = contextStart(text.length, ask);
        end = contextEnd(text.length, ask);
        previousEnd = start;
      }
      const from = wordStart(text, Math.max(previousEnd, start + at - documentAt), end);
      const to = wordStart(text, Math.min(end, from + WINDOW_CHARS), end);
      previousEnd = to;
      if (to <= from) continue;
      const spaceAfter =
        to - from > 1 && text.charCodeAt(to - 1) === 32 && !isBreak(text.charCodeAt(to - 2));
      const n = this.count++;
      this.text[n] = t;
      this.from[n] = from;
      this.to[n] = spaceAfter ? to - 1 : to;
      this.read += to - from;
    }
  }
}
