import { describe, expect, it } from 'vitest';
import { chat } from '../../../test/requests.ts';
import { HASH_BITS, hashFeatures, MAX_FEATURES } from './hash-features.ts';
import { SHIPPED_TEXT_MODEL } from './shipped-model.ts';
import { textDrivers } from './text-drivers.ts';
import { bucketLogit, decodeBuckets, hashAsk, scoreAsk, type TextModel } from './text-model.ts';
import { encodeWeights } from './weight-text.ts';

const features = (text: string): number[] => {
  const out = new Int32Array(MAX_FEATURES);
  return [...out.subarray(0, hashFeatures(text, 0, text.length, out, 0))];
};

const NO_CUES = { reasoning: 0, code: 0, math: 0, multiStep: 0, simpleTask: 0, language: 0 };
const NO_DENSE = { ...NO_CUES, terse: 0, repeats: 0, chain: 0 };

describe('the learned text model: features', () => {
  it('yields a unigram per word and a bigram per pair of neighbours', () => {
    expect(features('Hello, big world').length).toBe(3 + 2);
    expect(features('   ').length).toBe(0);
  });

  it('reads case and every number alike', () => {
    expect(features('Add 17 and 250')).toEqual(features('add 99 AND 123'));
    expect(features('add 17')).not.toEqual(features('add x'));
  });

  it('reads every word over 16 characters as one long token', () => {
    expect(features('ref qwertyuiopasdfghjklzx')).toEqual(features('ref mnbvcxzlkjhgfdsapoiu'));
    expect(features('ref abcdefghijklmnop')).not.toEqual(features('ref ponmlkjihgfedcba'));
  });

  it('reads each character of a spaceless script as a word', () => {
    // "请翻译" is three words: three unigrams and two bigrams.
    expect(features('请翻译').length).toBe(3 + 2);
    expect(features('hi 请').length).toBe(2 + 1);
  });

  it('reads a long ask by its head and tail only', () => {
    const head = 'Solve this for me. '.repeat(20);
    const tail = ' What is the answer?'.repeat(20);
    const a = chat(`${head}${'x '.repeat(400)}${tail}`);
    const b = chat(`${head}${'y '.repeat(400)}${tail}`);
    const outA = new Int32Array(MAX_FEATURES);
    const outB = new Int32Array(MAX_FEATURES);
    const n = hashAsk(a, outA);
    expect(hashAsk(b, outB)).toBe(n);
    expect([...outA.subarray(0, n)]).toEqual([...outB.subarray(0, n)]);
  });

  it('reads only the last user turn', () => {
    const out = new Int32Array(MAX_FEATURES);
    const request = chat('first');
    const two = {
      ...request,
      messages: [
        { role: 'user' as const, content: 'an earlier question about integrals' },
        { role: 'assistant' as const, content: 'an answer' },
        { role: 'user' as const, content: 'thanks' },
      ],
    };
    expect(hashAsk(two, out)).toBe(1);
  });
});

describe('the learned text model: scoring', () => {
  const buckets = new Int8Array(1 << HASH_BITS);
  const model: TextModel = { bias: -1, scale: 0.5, buckets, dense: { ...NO_DENSE, math: 2 } };

  it('sums the weights of the features over the root of their count, times the scale', () => {
    const out = new Int32Array([7, 7, 9, 11]);
    buckets[7] = 10;
    buckets[9] = -4;
    buckets[11] = 0;
    expect(bucketLogit(model, out, 4)).toBeCloseTo((0.5 * (10 + 10 - 4)) / 2, 10);
    expect(bucketLogit(model, out, 0)).toBe(0);
  });

  it('adds the cues and the bias, through a logistic', () => {
    const verdict = scoreAsk({ ...model, buckets: new Int8Array(1 << HASH_BITS) }, chat('x'), {
      ...NO_CUES,
      math: 0.5,
    });
    expect(verdict.ngramLogit).toBe(0);
    expect(verdict.denseLogit).toBe(1);
    expect(verdict.probability).toBeCloseTo(1 / (1 + Math.exp(-(-1 + 1))), 10);
  });

  it('decodes the 2^16 int8 weights of the artifact and refuses a table of the wrong size', () => {
    const weights = new Int8Array(1 << HASH_BITS);
    weights[0] = -1;
    weights[1] = 127;
    expect(() => decodeBuckets(encodeWeights(weights.subarray(0, 8)))).toThrow(
      'learned weights hold 8 buckets, expected 65536',
    );
    const decoded = decodeBuckets(encodeWeights(weights));
    expect([decoded[0], decoded[1], decoded[2]]).toEqual([-1, 127, 0]);
  });

  it('ships a trained table: most buckets set, both signs', () => {
    const { buckets: shipped } = SHIPPED_TEXT_MODEL;
    let positive = 0;
    let negative = 0;
    for (const w of shipped) {
      if (w > 0) positive++;
      else if (w < 0) negative++;
    }
    expect(shipped.length).toBe(1 << HASH_BITS);
    expect(positive).toBeGreaterThan(1000);
    expect(negative).toBeGreaterThan(1000);
  });
});

describe('the learned text model: drivers for explain', () => {
  const asks = [
    'A farmer has 17 sheep; all but 9 run away. How many are left?',
    'order ref abcdefghijklmnopqrstuvwxyz shipped',
    'Write a short poem about the sea, in the style of a sailor.',
    '请帮我把这段话翻译成英文 please',
    `${'Prove the claim. '.repeat(30)}${'filler '.repeat(200)}${' Is it true?'.repeat(30)}`,
  ];

  it.each(asks)('adds up to the model n-gram logit: %s', (ask) => {
    const request = chat(ask);
    const drivers = textDrivers(SHIPPED_TEXT_MODEL, request);
    const total = drivers.reduce((s, d) => s + d.logit, 0);
    expect(total).toBeCloseTo(scoreAsk(SHIPPED_TEXT_MODEL, request, NO_CUES).ngramLogit, 8);
  });

  it('names n-grams by their text, strongest first', () => {
    const drivers = textDrivers(SHIPPED_TEXT_MODEL, chat('How many primes are below 100?'));
    expect(drivers.map((d) => d.ngram)).toContain('how many');
    const sizes = drivers.map((d) => Math.abs(d.logit));
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
  });
});
