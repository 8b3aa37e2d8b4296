import { ContextWindows } from './context-windows.ts';
import { countPii as countPii_ } from './count-pii.ts';
import {
  ASK_WINDOW_CHARS,
  CONTEXT_WINDOW_CHARS,
  contextEnd as contextEnd_,
  contextStart as contextStart_,
  contextWindows as contextWindows_,
  LONG_ASK_CHARS,
} from './read-budget.ts';
import { scanText as scanText_, scanWindows as scanWindows_ } from './scan-text.ts';
import type { TextList } from './text-list.ts';
import { TextStats } from './text-stats.ts';

// Imports copied to module constants, as in scan-text.ts: under Vite's module runner (vitest,
// bench) each use of an imported binding is a getter call, and these run once per text.
const countPii = countPii_;
const contextEnd = contextEnd_;
const contextStart = contextStart_;
const contextWindows = contextWindows_;
const scanText = scanText_;
const scanWindows = scanWindows_;

/** What a request's texts add up to. */
export type TextReading = {
  /** Tokens, words, letters, function words and PII of every text (cue fields: see `cues`). */
  readonly stats: TextStats;
  /** Cue strengths above each text's baseline; a long ask's from its head and tail only. */
  readonly cues: Pick<TextStats, CueKey>;
  /** Words times their text's weight. */
  readonly weightedWords: number;
  /** Words of the ask. */
  readonly askWords: number;
};

type CueKey = 'reasoning' | 'code' | 'math' | 'multiStep' | 'simpleTask';

/**
 * Cues per word that any long text has by chance ("first", "then", "design", a few braces): only
 * hits above this baseline count.
 */
const BASELINE_PER_WORD: Record<CueKey, number> = {
  reasoning: 0.004,
  code: 0.002,
  math: 0.002,
  multiStep: 0.004,
  simpleTask: 0.003,
};

/**
 * One request's running totals. A class, not closures over `let`s: a number kept in a closure's
 * context is boxed anew on every write, one in an object's field is updated in place.
 */
class Reading implements TextReading {
  readonly stats = new TextStats();
  readonly cues = new TextStats();
  weightedWords = 0;
  askWords = 0;
  /** What the scanner found in the text, or the windows of it, just read. */
  readonly one = new TextStats();

  reset(): void {
    this.stats.clear();
    this.cues.clear();
    this.weightedWords = 0;
    this.askWords = 0;
  }

  /** Scans `text[start, end)` whole into `one`. */
  scan(text: string, start: number, end: number, weight: number): void {
    this.one.clear();
    scanText(text, this.one, weight, start, end);
  }

  /**
   * Adds what `one` holds times `scale`: its counts, its words by `weight` (and as the ask's if
   * `ask`), and its cues if `cues`, above the chance baseline of its words if `baseline`. PII is
   * left to the caller: a sample's is not a rate.
   */
  add(weight: number, ask: boolean, cues: boolean, baseline: boolean, scale: number): void {
    const one = this.one;
    this.stats.addScaled(one, scale);
    this.weightedWords += one.words * weight * scale;
    if (ask) this.askWords += one.words * scale;
    if (!cues) return;
    const sum = this.cues;
    const words = baseline ? one.words * weight : 0;
    sum.reasoning += Math.max(0, one.reasoning - words * BASELINE_PER_WORD.reasoning) * scale;
    sum.code += Math.max(0, one.code - words * BASELINE_PER_WORD.code) * scale;
    sum.math += Math.max(0, one.math - words * BASELINE_PER_WORD.math) * scale;
    sum.multiStep += Math.max(0, one.multiStep - words * BASELINE_PER_WORD.multiStep) * scale;
    sum.simpleTask += Math.max(0, one.simpleTask - words * BASELINE_PER_WORD.simpleTask) * scale;
  }
}

const reading = new Reading();
const windows = new ContextWindows();

/** Reads the ask: whole when short, else its head and tail for cues and the whole for PII. */
const readAsk = (text: string, weight: number): void => {
  if (text.length <= LONG_ASK_CHARS) {
    reading.scan(text, 0, text.length, weight);
    reading.add(weight, true, true, true, 1);
    reading.stats.pii += reading.one.pii;
    return;
  }
  reading.scan(text, 0, ASK_WINDOW_CHARS, weight);
  reading.add(weight, true, true, false, 1);
  reading.scan(text, text.length - ASK_WINDOW_CHARS, text.length, weight);
  reading.add(weight, true, true, false, 1);
  reading.stats.pii += countPii(text);
};

/** Reads every text's context part whole: exact, PII from the scan. */
const readWholeContext = (list: TextList): void => {
  const { texts, weights, asks } = list;
  for (let i = 0; i < list.size; i++) {
    const text = texts[i] ?? '';
    const ask = asks[i] === 1;
    const start = contextStart(text.length, ask);
    const end = contextEnd(text.length, ask);
    if (end <= start) continue;
    const weight = weights[i] ?? 0;
    reading.scan(text, start, end, weight);
    // The middle of a long ask adds words and tokens; its cues are the pasted material's, and
    // its PII was counted with the ask.
    reading.add(weight, ask, !ask, true, 1);
    if (!ask) reading.stats.pii += reading.one.pii;
  }
};

/**
 * Reads `length` characters of context through `count` windows (see `ContextWindows`), scaled up
 * by the context's length over the characters read; counts every other text's PII whole.
 */
const readSampledContext = (list: TextList, length: number, count: number): void => {
  const { texts, weights, asks } = list;
  windows.place(list, length, count);
  const scale = length / Math.max(1, windows.read);
  const placed = windows.count;
  let k = 0;
  while (k < placed) {
    const t = windows.text[k] ?? 0;
    let end = k + 1;
    while (end < placed && windows.text[end] === t) end++;
    const weight = weights[t] ?? 0;
    const ask = asks[t] === 1;
    reading.one.clear();
    scanWindows(texts[t] ?? '', reading.one, weight, windows.from, windows.to, k, end, scale);
    reading.add(weight, ask, !ask, true, scale);
    k = end;
  }
  for (let i = 0; i < list.size; i++)
    if (asks[i] === 0) reading.stats.pii += countPii(texts[i] ?? '');
};

/**
 * Reads a request's texts within the read budget (see `read-budget.ts`): the ask first, then the
 * rest, whole when it is short, else through windows. The result is valid until the next call.
 */
export const readTexts = (list: TextList): TextReading => {
  reading.reset();
  const { texts, weights, asks } = list;
  let context = 0;
  let contextTexts = 0;
  for (let i = 0; i < list.size; i++) {
    const text = texts[i] ?? '';
    const ask = asks[i] === 1;
    const chars = contextEnd(text.length, ask) - contextStart(text.length, ask);
    context += chars;
    if (chars > 0) contextTexts++;
    if (ask) readAsk(text, weights[i] ?? 0);
  }
  const count = contextWindows(contextTexts);
  if (context <= count * CONTEXT_WINDOW_CHARS) readWholeContext(list);
  else readSampledContext(list, context, count);
  return reading;
};
