import { countPii as countPii_ } from './count-pii.ts';
import { READ_BUDGET_CHARS, ReadBudget } from './read-budget.ts';
import { sampleText as sampleText_ } from './sample-text.ts';
import { scanText as scanText_ } from './scan-text.ts';
import { TextStats } from './text-stats.ts';

// Imports copied to module constants, as in scan-text.ts: under Vite's module runner (vitest,
// bench) each use of an imported binding is a getter call, and these run once per text.
const countPii = countPii_;
const sampleText = sampleText_;
const scanText = scanText_;

/** One text of a request, with the weight its cues count at; `ask` marks the last user turn. */
export type WeightedText = { text: string; weight: number; ask: boolean };

/** What a request's texts add up to. */
export type TextReading = {
  /** Tokens, words, letters, function words and PII of every text (cue fields: see `cues`). */
  stats: TextStats;
  /** Cue strengths above each text's baseline; a long ask's from its head and tail only. */
  cues: Pick<TextStats, CueKey>;
  /** Words times their text's weight. */
  weightedWords: number;
  /** Words of the ask. */
  askWords: number;
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
 * In a long last turn the ask sits at its start or end, around pasted material: only those
 * windows are read for cues, so neither the document's own vocabulary nor its baseline decides.
 */
const ASK_WINDOW_CHARS = 300;
const LONG_ASK_CHARS = 3 * ASK_WINDOW_CHARS;

/**
 * One request's running totals. A class, not closures over `let`s: a number kept in a closure's
 * context is boxed anew on every write, one in an object's field is updated in place.
 */
class Reading {
  readonly stats = new TextStats();
  readonly cues = new TextStats();
  weightedWords = 0;
  askWords = 0;
  /** The text being read. */
  private readonly one = new TextStats();

  /**
   * Reads `text[start, end)` with `chars` (whole if it fits, else sampled) and adds up its
   * tokens, words and letters; cues and PII are left to `addCues` and `addPii`.
   */
  read(text: string, start: number, end: number, chars: number, weight: number, ask: boolean) {
    const one = this.one;
    one.clear();
    const whole = end - start <= chars;
    if (whole) scanText(text, one, weight, start, end);
    else sampleText(text, start, end, chars, one, weight);
    this.stats.addScaled(one, 1);
    this.weightedWords += one.words * weight;
    if (ask) this.askWords += one.words;
    return whole;
  }

  /** Adds the cues of the text just read, above the chance baseline of its words if `baseline`. */
  addCues(weight: number, baseline: boolean): void {
    const { one, cues } = this;
    const words = baseline ? one.words * weight : 0;
    cues.reasoning += Math.max(0, one.reasoning - words * BASELINE_PER_WORD.reasoning);
    cues.code += Math.max(0, one.code - words * BASELINE_PER_WORD.code);
    cues.math += Math.max(0, one.math - words * BASELINE_PER_WORD.math);
    cues.multiStep += Math.max(0, one.multiStep - words * BASELINE_PER_WORD.multiStep);
    cues.simpleTask += Math.max(0, one.simpleTask - words * BASELINE_PER_WORD.simpleTask);
  }

  /** Adds the PII of the text just read if it was read whole, else counts the whole text's. */
  addPii(text: string, whole: boolean): void {
    this.stats.pii += whole ? this.one.pii : countPii(text);
  }
}

/**
 * Reads a request's texts within `READ_BUDGET_CHARS`: the ask first (whole up to three windows
 * long, else its head and tail windows), then the budget shared over every other text and the
 * long ask's middle, in order. A text its share cannot hold is sampled (see `sampleText`), and
 * its PII counted over the whole text (see `countPii`).
 */
export const readTexts = (texts: readonly WeightedText[]): TextReading => {
  let shared = 0;
  for (const { text, ask } of texts) if (!ask || text.length > LONG_ASK_CHARS) shared++;
  const budget = new ReadBudget(READ_BUDGET_CHARS, shared);
  const reading = new Reading();

  for (const { text, weight, ask } of texts) {
    if (!ask) continue;
    if (text.length <= LONG_ASK_CHARS) {
      budget.spend(text.length);
      reading.read(text, 0, text.length, text.length, weight, true);
      reading.addCues(weight, true);
      reading.addPii(text, true);
      continue;
    }
    // A long ask's cues come from its head and tail; its PII is counted with its middle.
    budget.spend(2 * ASK_WINDOW_CHARS);
    reading.read(text, 0, ASK_WINDOW_CHARS, ASK_WINDOW_CHARS, weight, true);
    reading.addCues(weight, false);
    reading.read(text, text.length - ASK_WINDOW_CHARS, text.length, ASK_WINDOW_CHARS, weight, true);
    reading.addCues(weight, false);
  }

  for (const { text, weight, ask } of texts) {
    if (ask) {
      if (text.length <= LONG_ASK_CHARS) continue;
      // The middle of a long ask adds words and tokens; its cues are the pasted material's.
      const end = text.length - ASK_WINDOW_CHARS;
      reading.read(text, ASK_WINDOW_CHARS, end, budget.take(end - ASK_WINDOW_CHARS), weight, true);
      reading.addPii(text, false);
      continue;
    }
    const whole = reading.read(text, 0, text.length, budget.take(text.length), weight, false);
    reading.addCues(weight, true);
    reading.addPii(text, whole);
  }

  const { stats, cues, weightedWords, askWords } = reading;
  return { stats, cues, weightedWords, askWords };
};
