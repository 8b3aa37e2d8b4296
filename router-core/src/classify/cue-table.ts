import { LANGUAGE_WORDS, LATIN_LANGUAGES } from './languages.ts';
import { CUE_KINDS, LEXICON } from './lexicon.ts';

/** FNV-1a step over a case-folded ASCII letter: the scanner runs the same step as it reads. */
export const hashStep = (hash: number, code: number): number =>
  Math.imul(hash ^ (code | 32), 16777619);
export const HASH_SEED = 2166136261 | 0;
/** The hash of a pair of words, from the hashes of each. */
export const pairHash = (first: number, second: number): number =>
  Math.imul(first ^ 0x5bd1e995, 0x01000193) ^ second;

/** Slots per table: a power of two, well above twice the lexicon. */
export const CUE_TABLE_SIZE = 4096;
export const CUE_TABLE_MASK = CUE_TABLE_SIZE - 1;

/** Table kind of a language's function words (plus the index into LATIN_LANGUAGES). */
export const LANGUAGE_KIND_BASE = CUE_KINDS.length + 1;
/** Flag on a word that starts a two-word cue: only after it is the pair table probed. */
export const PAIR_FIRST = 0x80;
/** The kind bits under the flag. */
export const KIND_MASK = 0x7f;

/** An open-addressing table from word hash to cue, so a lookup costs a few array reads. */
export type CueTable = {
  hashes: Int32Array;
  /**
   * 0 marks an empty slot. Under KIND_MASK: 0 no cue (only PAIR_FIRST), 1..CUE_KINDS.length a
   * cue (index into CUE_KINDS plus one), LANGUAGE_KIND_BASE and above a language's function word.
   */
  kinds: Uint8Array;
  strengths: Float64Array;
  /** The cue text, to rule out hash collisions on a hit (hits are rare). */
  words: string[];
};

/** The slot holding `hash`, or -1. */
export const findSlot = (table: CueTable, hash: number): number => {
  let slot = hash & CUE_TABLE_MASK;
  for (;;) {
    const kind = table.kinds[slot];
    if (kind === 0) return -1;
    if (table.hashes[slot] === hash) return slot;
    slot = (slot + 1) & CUE_TABLE_MASK;
  }
};

const hashWord = (word: string): number => {
  let hash = HASH_SEED;
  for (let i = 0; i < word.length; i++) hash = hashStep(hash, word.charCodeAt(i));
  return hash;
};

const insert = (table: CueTable, hash: number, kind: number, strength: number, word: string) => {
  if (findSlot(table, hash) >= 0) throw new Error(`"${word}" is in the lexicon twice`);
  let slot = hash & CUE_TABLE_MASK;
  while (table.kinds[slot] !== 0) slot = (slot + 1) & CUE_TABLE_MASK;
  table.hashes[slot] = hash;
  table.kinds[slot] = kind;
  table.strengths[slot] = strength;
  table.words[slot] = word;
};

/** Builds the single-word and word-pair tables from the lexicon and the language words. */
const buildTables = (): { single: CueTable; pair: CueTable } => {
  const make = (): CueTable => ({
    hashes: new Int32Array(CUE_TABLE_SIZE),
    kinds: new Uint8Array(CUE_TABLE_SIZE),
    strengths: new Float64Array(CUE_TABLE_SIZE),
    words: new Array<string>(CUE_TABLE_SIZE).fill(''),
  });
  const single = make();
  const pair = make();
  const pairFirsts = new Set<string>();
  CUE_KINDS.forEach((kind, index) => {
    for (const [text, strength] of LEXICON[kind]) {
      const [first, second] = text.split(' ');
      if (first !== undefined && second !== undefined) {
        insert(pair, pairHash(hashWord(first), hashWord(second)), index + 1, strength, text);
        pairFirsts.add(first);
      } else {
        insert(single, hashWord(text), index + 1, strength, text);
      }
    }
  });
  LATIN_LANGUAGES.forEach((language, index) => {
    for (const word of LANGUAGE_WORDS[language]) {
      insert(single, hashWord(word), LANGUAGE_KIND_BASE + index, 0, word);
    }
  });
  for (const word of pairFirsts) {
    const slot = findSlot(single, hashWord(word));
    if (slot >= 0) single.kinds[slot] = (single.kinds[slot] ?? 0) | PAIR_FIRST;
    else insert(single, hashWord(word), PAIR_FIRST, 0, word);
  }
  return { single, pair };
};

export const CUE_TABLES = buildTables();
