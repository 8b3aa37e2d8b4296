/**
 * The text form of the learned model's int8 bucket weights in the checked-in artifact: one
 * printable ASCII character a weight, so the Worker's gzip sees one byte a weight (base64's six
 * bits a character cost it 9 KB of its 150 KB budget).
 *
 * Weights from -45 to 46 (all but a few dozen of 65,536) are one character of `ALPHABET`
 * (`!` to `~` without `'` and `\`, safe in a single-quoted literal); any other is a space and two
 * characters, its value + 128 in base 92.
 */
const ALPHABET = (() => {
  let out = '';
  for (let c = 0x21; c < 0x7f; c++) if (c !== 0x27 && c !== 0x5c) out += String.fromCharCode(c);
  return out;
})();
const BASE = ALPHABET.length;
const LOW = -45;
const HIGH = LOW + BASE - 1;
const ESCAPE = ' ';

/** Each character's digit, -1 for a character the alphabet lacks. */
const DIGIT = new Int8Array(128).fill(-1);
for (let k = 0; k < BASE; k++) DIGIT[ALPHABET.charCodeAt(k)] = k;

export const encodeWeights = (weights: Int8Array): string => {
  let out = '';
  for (const v of weights) {
    if (v >= LOW && v <= HIGH) out += ALPHABET[v - LOW];
    else out += ESCAPE + ALPHABET[Math.floor((v + 128) / BASE)] + ALPHABET[(v + 128) % BASE];
  }
  return out;
};

const digitAt = (text: string, i: number): number => {
  // Past the end `charCodeAt` is NaN, which no branch below takes for a digit.
  const c = text.charCodeAt(i);
  const d = c < 128 ? (DIGIT[c] as number) : -1;
  if (d < 0) throw new Error(`learned weights: character ${i} is not a weight`);
  return d;
};

/** Decodes `count` weights; a text that holds more or fewer, or a stray character, throws. */
export const decodeWeights = (text: string, count: number): Int8Array => {
  const out = new Int8Array(count);
  let n = 0;
  let i = 0;
  while (i < text.length) {
    if (n === count) throw new Error(`learned weights hold more than ${count} buckets`);
    if (text[i] === ESCAPE) {
      out[n++] = digitAt(text, i + 1) * BASE + digitAt(text, i + 2) - 128;
      i += 3;
    } else {
      out[n++] = digitAt(text, i) + LOW;
      i += 1;
    }
  }
  if (n !== count) throw new Error(`learned weights hold ${n} buckets, expected ${count}`);
  return out;
};
