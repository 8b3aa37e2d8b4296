/**
 * The ask's shape, beside its words: how many short statements it strings together and how much
 * of its wording repeats. A puzzle in plain words (who tells the truth, where the coin ends up,
 * which way one faces after the steps, which object goes where) is a chain of short sentences
 * on one template, each naming something an earlier one did; an everyday request is a sentence
 * or two that do not repeat. Words alone read such a puzzle as everyday (its words are), which
 * is what the learned model got wrong most on sources it was not trained on
 * (router-core/data/SOURCES.md).
 *
 * Three dense values in [0, 1], read in one pass over the ask's characters and one over its
 * n-gram buckets, no allocation: `terse` (short sentences, full at `TERSE_FULL`), `repeats`
 * (the share of the ask's n-grams it already had, full at `REPEATS_FULL`) and `chain`, their
 * product: both at once. A long ask is read as its n-grams are, by its head and tail
 * (`read-budget.ts`), so pasted material that repeats itself there (a log, a table) reads as
 * repeating too: a cost, sending it regional, that SOURCES.md weighs.
 * The constants were set before any fit and left there: the training sources' leave-one-source-
 * out moved within half a point for 6 or 10 words, 5 or 12 sentences, 0.25 or 0.6.
 */
export type AskShape = { readonly terse: number; readonly repeats: number; readonly chain: number };

/** A sentence of at most this many words is short. */
export const SHORT_SENTENCE_WORDS = 8;
/** `terse` is full at this many short sentences. */
export const TERSE_FULL = 8;
/** `repeats` is full when this share of the ask's n-grams repeat an earlier one. */
export const REPEATS_FULL = 0.4;

const FULL_STOP = 46;
const QUESTION = 63;
const BANG = 33;
const SPACE = 32;
const NEWLINE = 10;

/** ASCII letters and digits, and any code unit past Latin-1's symbols, make words. */
const isWordUnit = (c: number): boolean =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c >= 0xc0;

/**
 * Short sentences in `text[start, end)`: a sentence ends at a line break, or at `.`, `?` or
 * `!` before a space, a line break or the text's end (so `3.5` and `e.g` do not end one). A
 * list's lines and a question's choices count as sentences, as they read. A range that starts
 * or ends inside the text (a long ask's head and tail windows) cuts a sentence there: that
 * fragment is not counted.
 */
export const shortSentences = (text: string, start: number, end: number): number => {
  let short = 0;
  let words = 0;
  let inWord = false;
  // The fragment before the first end is cut when the range starts inside the text.
  let cut = start > 0;
  const last = end < text.length ? end - 1 : end;
  for (let i = start; i <= last; i++) {
    const c = i < end ? text.charCodeAt(i) : NEWLINE;
    if (isWordUnit(c)) {
      if (!inWord) words++;
      inWord = true;
      continue;
    }
    inWord = false;
    let ends = c === NEWLINE;
    if (c === FULL_STOP || c === QUESTION || c === BANG) {
      const next = i + 1 < text.length ? text.charCodeAt(i + 1) : SPACE;
      ends = next === SPACE || next === NEWLINE;
    }
    if (!ends) continue;
    if (!cut && words > 0 && words <= SHORT_SENTENCE_WORDS) short++;
    cut = false;
    words = 0;
  }
  return short;
};

// A bucket's last sighting, by the ask it was seen in: a generation count instead of clearing
// the table per ask (2^16 buckets, see hash-features.ts).
const seenIn = new Uint16Array(1 << 16);
let generation = 0;

/** The share of `buckets[0, n)` that repeat a bucket earlier in the same range. */
export const repeatedShare = (buckets: Int32Array, n: number): number => {
  if (n === 0) return 0;
  generation++;
  if (generation === 0x10000) {
    seenIn.fill(0);
    generation = 1;
  }
  let repeated = 0;
  for (let i = 0; i < n; i++) {
    const b = buckets[i] as number;
    if (seenIn[b] === generation) repeated++;
    else seenIn[b] = generation;
  }
  return repeated / n;
};

/** The shape of an ask with `short` short sentences and n-gram buckets `buckets[0, n)`. */
export const askShape = (short: number, buckets: Int32Array, n: number): AskShape => {
  const terse = Math.min(1, short / TERSE_FULL);
  const repeats = Math.min(1, repeatedShare(buckets, n) / REPEATS_FULL);
  return { terse, repeats, chain: terse * repeats };
};
