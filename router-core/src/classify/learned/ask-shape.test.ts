import { describe, expect, it } from 'vitest';
import { chat } from '../../../test/requests.ts';
import { askShape, REPEATS_FULL, repeatedShare, shortSentences, TERSE_FULL } from './ask-shape.ts';
import { MAX_FEATURES } from './hash-features.ts';
import { askShortSentences, denseValues, hashAsk } from './text-model.ts';

const short = (text: string) => shortSentences(text, 0, text.length);

const NO_CUES = { reasoning: 0, code: 0, math: 0, multiStep: 0, simpleTask: 0, language: 0 };

const shapeOf = (ask: string) => {
  const request = chat(ask);
  const buckets = new Int32Array(MAX_FEATURES);
  const n = hashAsk(request, buckets);
  const { terse, repeats, chain } = denseValues(request, NO_CUES, buckets, n);
  return { terse, repeats, chain };
};

describe('the ask shape: short sentences', () => {
  it('counts sentences of at most eight words, ended by . ? ! before a space or by a line', () => {
    expect(short('Ann lies. Bob says Ann lies. Does Bob tell the truth?')).toBe(3);
    expect(short('Options:\n(A) yes\n(B) no')).toBe(3);
    expect(short('one two three four five six seven eight nine.')).toBe(0);
    expect(short('one two three four five six seven eight.')).toBe(1);
  });

  it('does not end a sentence inside a number or an abbreviation', () => {
    expect(short('Pi is 3.14 e.g in maths.')).toBe(1);
  });

  it('counts the last sentence without its stop, and nothing for no words', () => {
    expect(short('Take two steps')).toBe(1);
    expect(short('... ?! \n\n')).toBe(0);
    expect(short('')).toBe(0);
  });

  it('leaves out the fragments a window cuts at its start and at its end', () => {
    const text = 'Alpha beta gamma. Delta epsilon. Zeta eta theta.';
    // [6, 37): "beta gamma." is cut at the start, "Delta epsilon." whole, "Zeta" cut at the end.
    expect(shortSentences(text, 6, 37)).toBe(1);
    expect(shortSentences(text, 0, text.length)).toBe(3);
  });
});

describe('the ask shape: repeats', () => {
  it('is the share of buckets seen earlier in the same range', () => {
    expect(repeatedShare(new Int32Array([1, 2, 1, 1, 3]), 5)).toBe(2 / 5);
    expect(repeatedShare(new Int32Array([1, 2, 1, 1, 3]), 2)).toBe(0);
    expect(repeatedShare(new Int32Array(0), 0)).toBe(0);
  });

  it('starts afresh for every range', () => {
    const buckets = new Int32Array([9, 9]);
    expect(repeatedShare(buckets, 2)).toBe(0.5);
    expect(repeatedShare(buckets, 1)).toBe(0);
  });
});

describe('the ask shape: the dense values', () => {
  it('saturates each at full and multiplies them into the chain', () => {
    expect(askShape(TERSE_FULL * 2, new Int32Array([4, 4]), 2)).toEqual({
      terse: 1,
      repeats: 1,
      chain: 1,
    });
    // One bucket of ten repeats: a quarter of full; half of full short sentences.
    const half = askShape(TERSE_FULL / 2, new Int32Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 1]), 10);
    expect(half).toEqual({
      terse: 0.5,
      repeats: 0.1 / REPEATS_FULL,
      chain: 0.5 * (0.1 / REPEATS_FULL),
    });
  });

  it('reads a puzzle in plain words as a chain, an everyday request as none', () => {
    const puzzle = shapeOf(
      'Ann lies. Bob says Ann lies. Cy says Bob lies. Di says Cy tells the truth. ' +
        'Ed says Di lies. Does Ed tell the truth?',
    );
    expect(puzzle.terse).toBe(6 / TERSE_FULL);
    expect(puzzle.repeats).toBeGreaterThan(0.5);
    expect(puzzle.chain).toBeCloseTo(puzzle.terse * puzzle.repeats, 12);
    expect(shapeOf('Write a thank-you note to my aunt for the birthday present she sent.')).toEqual(
      { terse: 0, repeats: 0, chain: 0 },
    );
  });

  it('reads a long ask by the windows its n-grams are read by', () => {
    const head = 'Ann lies. Bob says Ann lies. '.repeat(15);
    const tail = ' Does Bob tell the truth?'.repeat(15);
    const a = chat(`${head}${'x '.repeat(400)}${tail}`);
    const b = chat(`${head}${'y z. '.repeat(400)}${tail}`);
    expect(askShortSentences(a)).toBe(askShortSentences(b));
  });
});
