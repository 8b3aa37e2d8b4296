import { CHAR } from './char-classes.ts';

/**
 * Token costs of o200k_base's pre-tokens, fitted on `test/data/token-corpus.jsonl` (see
 * `estimate-tokens.test.ts`, which holds the estimate within 15 % of gpt-tokenizer).
 */
export const TOKEN_COSTS = {
  /** A run of N ASCII letters (one pre-token, a leading space included): index N. Long or rare
   * words split into several tokens; common words up to 7 letters are one. */
  word: [0, 1, 1, 1, 1, 1, 1, 1, 1.11, 1.22, 1.33, 1.44, 1.55, 1.66, 1.77, 1.87, 1.98, 2.09],
  /** Per letter beyond the table. */
  longWordPerLetter: 0.2,
  /** A single punctuation mark glued to the word after it (".com", "_name"). */
  gluedPunct: 0.09,
  /** The first mark of a punctuation run, and each further ASCII one ("();" is one token). */
  punctFirst: 1,
  punctNext: 0.12,
  /** A non-ASCII symbol; an emoji or other astral-plane symbol. */
  symbol: 1,
  astral: 1.95,
  /** A run of newlines (spaces between them included). */
  newlineRun: 1,
  /** A run of two or more spaces before something (the last space joins what follows). */
  spaceRun: 1,
  tab: 0.44,
  /** Per group of up to three digits. */
  digitGroup: 1,
} as const;

/** Cost per letter of each script (accented Latin letters: on top of the ASCII word cost). */
export const LETTER_COST = new Float64Array(CHAR.SKIP + 1);
LETTER_COST[CHAR.ACCENTED] = 0.45;
LETTER_COST[CHAR.CYRILLIC] = 0.3;
LETTER_COST[CHAR.GREEK] = 0.4;
LETTER_COST[CHAR.ARABIC] = 0.35;
LETTER_COST[CHAR.HEBREW] = 0.4;
LETTER_COST[CHAR.INDIC] = 0.36;
LETTER_COST[CHAR.THAI] = 0.35;
LETTER_COST[CHAR.HAN] = 0.8;
LETTER_COST[CHAR.KANA] = 0.63;
LETTER_COST[CHAR.HANGUL] = 0.7;

/** Per-letter corrections once a text's script variant is known (added to LETTER_COST). */
export const SCRIPT_VARIANT_COST = {
  ukrainian: 0.09,
  simplified: -0.18,
  traditional: 0.17,
} as const;
