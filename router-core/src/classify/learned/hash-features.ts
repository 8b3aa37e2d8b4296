/**
 * The learned classifier's text features: hashed word unigrams and bigrams of the ask,
 * case-folded, every digit read as `0` (a number's shape, not its value). A character of a
 * script written without spaces (Chinese, Japanese, Korean) is a word of its own, so its
 * unigrams and bigrams are characters and character pairs. One pass over the characters, no
 * strings built, no allocation: each feature is a bucket index written into a reusable buffer.
 *
 * Character n-grams were tried and dropped: they made the model tell corpora apart by their
 * markup, and held up worse on sources it had not seen (see router-core/data/SOURCES.md).
 */

/** Buckets of the hashed feature space: 2^HASH_BITS weights. */
export const HASH_BITS = 16;
const MASK = (1 << HASH_BITS) - 1;

/** Features one text yields at most: a bounded ask (≤ 900 characters) yields a few hundred. */
export const MAX_FEATURES = 4096;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 16777619;
const SEED_UNIGRAM = 0x5bd1e995;
const SEED_BIGRAM = 0x27d4eb2f;
/**
 * A word longer than this is read as one shared "long token" feature: ids, hashes and blobs say
 * nothing by their letters, and a random one would otherwise land on a random bucket's weight.
 */
export const MAX_WORD_CHARS = 16;
const LONG_WORD = 0x6c6f6e67;
/** From here on (kana, CJK, Hangul, …) a character is a word of its own. */
const SPACELESS_SCRIPTS = 0x3040;

/** An avalanche of the bits (murmur3's finaliser), then the bucket. */
export const bucketOf = (h: number, seed: number): number => {
  let x = h ^ seed;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) & MASK;
};

/** A word's hash, from its folded code units. */
export const wordHash = (h: number, c: number): number => Math.imul(h ^ c, FNV_PRIME);
export const unigramBucket = (word: number): number => bucketOf(word, SEED_UNIGRAM);
/** The hash a word of `chars` characters ends with: its own, or the long token's. */
export const finalHash = (word: number, chars: number): number =>
  chars > MAX_WORD_CHARS ? LONG_WORD : word;
export const bigramBucket = (previous: number, word: number): number =>
  bucketOf(Math.imul(previous, 31) ^ word, SEED_BIGRAM);
export const WORD_HASH_START = FNV_OFFSET;

/** Case-folded ASCII and `0` for any digit; other code units as they are. */
export const fold = (c: number): number => {
  if (c >= 65 && c <= 90) return c + 32;
  if (c >= 48 && c <= 57) return 48;
  return c;
};

/** Letters and digits of any script make words; ASCII punctuation and spaces end them. */
export const isWordChar = (c: number): boolean =>
  (c >= 97 && c <= 122) ||
  c === 48 ||
  (c >= 0xc0 && c !== 0xd7 && c !== 0xf7 && c < 0x2000) ||
  c >= SPACELESS_SCRIPTS;

export const isSpaceless = (c: number): boolean => c >= SPACELESS_SCRIPTS;

/** Folded ASCII (0 for a character that ends a word): one read instead of two tests. */
const ASCII = new Uint8Array(128);
for (let c = 0; c < 128; c++) ASCII[c] = isWordChar(fold(c)) ? fold(c) : 0;

/**
 * Writes the bucket of every feature of `text[start, end)` into `out` from `at` on and returns
 * the new end (`out.length` at most). Two ranges of one text (a long ask's head and tail) are
 * read by two calls, each starting its words afresh.
 */
export const hashFeatures = (
  text: string,
  start: number,
  end: number,
  out: Int32Array,
  at: number,
): number => {
  let n = at;
  const limit = out.length - 1;
  let word = FNV_OFFSET;
  let wordChars = 0;
  let previous = 0;
  let hasPrevious = false;
  for (let i = start; i <= end && n < limit; i++) {
    const raw = i < end ? text.charCodeAt(i) : 32;
    let c: number;
    let spaceless = false;
    if (raw < 128) c = ASCII[raw] as number;
    else {
      c = isWordChar(raw) ? raw : 0;
      spaceless = raw >= SPACELESS_SCRIPTS;
    }
    if (c !== 0 && !spaceless) {
      word = Math.imul(word ^ c, FNV_PRIME);
      wordChars++;
      continue;
    }
    if (wordChars > 0) {
      // The word ends here (a spaceless character is then a word of its own, below).
      const final = finalHash(word, wordChars);
      out[n++] = bucketOf(final, SEED_UNIGRAM);
      if (hasPrevious) out[n++] = bucketOf(Math.imul(previous, 31) ^ final, SEED_BIGRAM);
      previous = final;
      hasPrevious = true;
      word = FNV_OFFSET;
      wordChars = 0;
    }
    if (spaceless && n < limit) {
      const own = Math.imul(FNV_OFFSET ^ raw, FNV_PRIME);
      out[n++] = bucketOf(own, SEED_UNIGRAM);
      if (hasPrevious) out[n++] = bucketOf(Math.imul(previous, 31) ^ own, SEED_BIGRAM);
      previous = own;
      hasPrevious = true;
    }
  }
  return n;
};
