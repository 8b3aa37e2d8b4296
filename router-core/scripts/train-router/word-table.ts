// The word vectors word-vectors.py wrote, as a vector per hash bucket: the mean of the vectors of
// the vocabulary's words whose unigram lands in it (hashed exactly as hash-features.ts hashes a
// word). A bigram that lands in such a bucket reads its vector too, as the folded model will.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  finalHash,
  fold,
  HASH_BITS,
  unigramBucket,
  WORD_HASH_START,
  wordHash,
} from '../../src/classify/learned/hash-features.ts';

export const DIMS = 384;

export type WordTable = { dims: number; table: Float32Array; words: number };

const bucketOfWord = (word: string): number => {
  let h = WORD_HASH_START;
  for (let i = 0; i < word.length; i++) h = wordHash(h, fold(word.charCodeAt(i)));
  return unigramBucket(finalHash(h, word.length));
};

/** Reads `dir`'s word-vectors.{words,f32}; undefined when they are not there. */
export const readWordTable = (dir: string): WordTable | undefined => {
  const wordsFile = join(dir, 'word-vectors.words');
  const vectorsFile = join(dir, 'word-vectors.f32');
  if (!existsSync(wordsFile) || !existsSync(vectorsFile)) return undefined;
  const words = readFileSync(wordsFile, 'utf8')
    .split('\n')
    .filter((w) => w !== '');
  const bytes = readFileSync(vectorsFile);
  const vectors = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  if (vectors.length !== words.length * DIMS)
    throw new Error(`${vectorsFile}: not ${words.length} × ${DIMS}`);
  // Centred: the vectors share a common part, which would make every word count alike (a weight
  // on the ask's length, not on what it asks).
  const mean = new Float64Array(DIMS);
  if (process.env.CENTRE !== '0') {
    for (let i = 0; i < words.length; i++)
      for (let k = 0; k < DIMS; k++)
        mean[k] = (mean[k] as number) + (vectors[i * DIMS + k] as number) / words.length;
  }
  const size = 1 << HASH_BITS;
  const sums = new Float64Array(size * DIMS);
  const counts = new Uint32Array(size);
  words.forEach((word, i) => {
    const b = bucketOfWord(word);
    counts[b] = (counts[b] as number) + 1;
    for (let k = 0; k < DIMS; k++)
      sums[b * DIMS + k] =
        (sums[b * DIMS + k] as number) + (vectors[i * DIMS + k] as number) - (mean[k] as number);
  });
  const table = new Float32Array(size * DIMS);
  for (let b = 0; b < size; b++) {
    const c = counts[b] as number;
    if (c > 0)
      for (let k = 0; k < DIMS; k++) table[b * DIMS + k] = (sums[b * DIMS + k] as number) / c;
  }
  return { dims: DIMS, table, words: words.length };
};

/** Σ of the buckets' vectors / √n: the embedding part of an example, scaled as its n-grams are. */
export const embedOf = (wordTable: WordTable, buckets: Int32Array, scale = 1): Float32Array => {
  const { dims, table } = wordTable;
  const out = new Float32Array(dims);
  const n = buckets.length;
  if (n === 0) return out;
  for (let i = 0; i < n; i++) {
    const at = (buckets[i] as number) * dims;
    for (let k = 0; k < dims; k++) out[k] = (out[k] as number) + (table[at + k] as number);
  }
  const norm = scale / Math.sqrt(n);
  for (let k = 0; k < dims; k++) out[k] = (out[k] as number) * norm;
  return out;
};
