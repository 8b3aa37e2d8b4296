import { describe, expect, it } from 'vitest';
import { decodeWeights, encodeWeights } from './weight-text.ts';

describe('the text form of the int8 weights', () => {
  it('round-trips every int8 value, the escaped ones included', () => {
    const all = new Int8Array(256);
    for (let v = -128; v < 128; v++) all[v + 128] = v;
    const text = encodeWeights(all);
    expect([...decodeWeights(text, 256)]).toEqual([...all]);
    // -45…46 are one character each, the other 164 values three.
    expect(text.length).toBe(92 + 164 * 3);
  });

  it('writes nothing a single-quoted literal must escape', () => {
    const all = new Int8Array(256);
    for (let v = -128; v < 128; v++) all[v + 128] = v;
    expect(encodeWeights(all)).not.toMatch(/['\\\n]/);
  });

  it('reads one character a weight in range', () => {
    expect([...decodeWeights(encodeWeights(Int8Array.from([-45, 0, 46])), 3)]).toEqual([
      -45, 0, 46,
    ]);
    expect(encodeWeights(Int8Array.from([-45, 0, 46]))).toBe('!O~');
  });

  it('refuses a table of the wrong size or a stray character', () => {
    const text = encodeWeights(new Int8Array(8));
    expect(() => decodeWeights(text, 16)).toThrow('learned weights hold 8 buckets, expected 16');
    expect(() => decodeWeights(text, 4)).toThrow('learned weights hold more than 4 buckets');
    expect(() => decodeWeights('NN\\N', 4)).toThrow('learned weights: character 2 is not a weight');
    expect(() => decodeWeights('N é', 2)).toThrow('learned weights: character 2 is not a weight');
  });
});
