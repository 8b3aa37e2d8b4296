/**
 * Character classes for the one-pass scanner: what o200k's pre-tokenizer splits on (letters of
 * any script, digits, spaces, newlines, everything else), with the letter's script, which sets
 * its token cost.
 */
export const CHAR = {
  PUNCT: 0,
  ASCII_LETTER: 1,
  DIGIT: 2,
  SPACE: 3,
  NEWLINE: 4,
  TAB: 5,
  ACCENTED: 6,
  CYRILLIC: 7,
  GREEK: 8,
  ARABIC: 9,
  HEBREW: 10,
  INDIC: 11,
  THAI: 12,
  HAN: 13,
  KANA: 14,
  HANGUL: 15,
  /** First half of a surrogate pair: emoji and other astral symbols, costed as punctuation. */
  ASTRAL: 16,
  /** Second half of a surrogate pair: already costed with the first. */
  SKIP: 17,
} as const;

/** Classes from ACCENTED up are letters of some script. */
export const FIRST_SCRIPT_LETTER = CHAR.ACCENTED;
export const LAST_SCRIPT_LETTER = CHAR.HANGUL;

/** Classes of the ASCII range, for the scanner's fast path. */
export const ASCII_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  ASCII_CLASS[c] =
    (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
      ? CHAR.ASCII_LETTER
      : c >= 48 && c <= 57
        ? CHAR.DIGIT
        : c === 32
          ? CHAR.SPACE
          : c === 10 || c === 13
            ? CHAR.NEWLINE
            : c === 9
              ? CHAR.TAB
              : CHAR.PUNCT;
}

/**
 * The non-ASCII ranges with a class of their own, [from, to): a later range overrides an earlier
 * one; any other code unit is punctuation. o200k splits on Unicode letters; these are the scripts
 * whose letters cost tokens differently.
 */
const RANGES: readonly (readonly [from: number, to: number, cls: number])[] = [
  // Latin-1 letters, Latin Extended-A/B and combining accents; × and ÷ are symbols.
  [0xc0, 0x250, CHAR.ACCENTED],
  [0xd7, 0xd8, CHAR.PUNCT],
  [0xf7, 0xf8, CHAR.PUNCT],
  [0x300, 0x370, CHAR.ACCENTED],
  [0xa0, 0xa1, CHAR.SPACE],
  [0x370, 0x400, CHAR.GREEK],
  [0x400, 0x530, CHAR.CYRILLIC],
  [0x590, 0x600, CHAR.HEBREW],
  [0x600, 0x700, CHAR.ARABIC],
  [0x900, 0xe00, CHAR.INDIC],
  [0xe00, 0xe80, CHAR.THAI],
  [0x1100, 0x1200, CHAR.HANGUL],
  [0x1e00, 0x1f00, CHAR.ACCENTED], // Latin Extended Additional (Vietnamese)
  [0x1f00, 0x2000, CHAR.GREEK],
  [0x2028, 0x202a, CHAR.NEWLINE],
  [0x2e80, 0x3000, CHAR.HAN],
  [0x3040, 0x3100, CHAR.KANA],
  [0x3130, 0x3190, CHAR.HANGUL],
  [0x3400, 0xa000, CHAR.HAN],
  [0xac00, 0xd7b0, CHAR.HANGUL],
  [0xd800, 0xdc00, CHAR.ASTRAL],
  [0xdc00, 0xe000, CHAR.SKIP],
  [0xf900, 0xfb00, CHAR.HAN],
  [0xff66, 0xffa0, CHAR.KANA],
];

/**
 * The class of every UTF-16 code unit: one load in the scanner's loop, where a chain of
 * comparisons made a letter of another script cost several times a Latin one. 64 KiB, filled by
 * ranges at start-up (a fraction of a millisecond).
 */
export const CLASS_OF = new Uint8Array(0x10000);
CLASS_OF.set(ASCII_CLASS);
for (const [from, to, cls] of RANGES) CLASS_OF.fill(cls, from, to);

/** The class of a UTF-16 code unit. */
export const charClass = (c: number): number => CLASS_OF[c] ?? CHAR.PUNCT;
