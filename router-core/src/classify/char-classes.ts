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

/** The class of a UTF-16 code unit. */
export const charClass = (c: number): number => {
  if (c < 128) return ASCII_CLASS[c] ?? CHAR.PUNCT;
  if (c < 0x370) {
    // Latin-1 letters and Latin Extended-A/B, combining accents; × and ÷ are symbols.
    if ((c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7) || (c >= 0x300 && c < 0x370)) {
      return CHAR.ACCENTED;
    }
    return c === 0xa0 ? CHAR.SPACE : CHAR.PUNCT;
  }
  if (c < 0x400) return CHAR.GREEK;
  if (c < 0x530) return CHAR.CYRILLIC;
  if (c < 0x590) return CHAR.PUNCT;
  if (c < 0x600) return CHAR.HEBREW;
  if (c < 0x700) return CHAR.ARABIC;
  if (c >= 0x900 && c < 0xe00) return CHAR.INDIC;
  if (c >= 0xe00 && c < 0xe80) return CHAR.THAI;
  if (c >= 0x1100 && c < 0x1200) return CHAR.HANGUL;
  if (c >= 0x1e00 && c < 0x1f00) return CHAR.ACCENTED; // Latin Extended Additional (Vietnamese)
  if (c >= 0x1f00 && c < 0x2000) return CHAR.GREEK;
  if (c === 0x2028 || c === 0x2029) return CHAR.NEWLINE;
  if (c < 0x3040) return c >= 0x2e80 && c < 0x3000 ? CHAR.HAN : CHAR.PUNCT;
  if (c < 0x3100) return CHAR.KANA;
  if (c >= 0x3130 && c < 0x3190) return CHAR.HANGUL;
  if (c >= 0x3400 && c < 0xa000) return CHAR.HAN;
  if (c >= 0xac00 && c < 0xd7b0) return CHAR.HANGUL;
  if (c >= 0xd800 && c < 0xdc00) return CHAR.ASTRAL;
  if (c >= 0xdc00 && c < 0xe000) return CHAR.SKIP;
  if (c >= 0xf900 && c < 0xfb00) return CHAR.HAN;
  if (c >= 0xff66 && c < 0xffa0) return CHAR.KANA;
  return CHAR.PUNCT;
};
