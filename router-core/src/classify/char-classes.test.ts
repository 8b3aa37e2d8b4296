import { describe, expect, it } from 'vitest';
import { CHAR, charClass } from './char-classes.ts';

describe('charClass', () => {
  it.each([
    ['a', CHAR.ASCII_LETTER],
    ['Z', CHAR.ASCII_LETTER],
    ['7', CHAR.DIGIT],
    [' ', CHAR.SPACE],
    ['\u00a0', CHAR.SPACE],
    ['\n', CHAR.NEWLINE],
    ['\r', CHAR.NEWLINE],
    ['\u2028', CHAR.NEWLINE],
    ['\t', CHAR.TAB],
    ['é', CHAR.ACCENTED],
    ['ł', CHAR.ACCENTED],
    ['\u0301', CHAR.ACCENTED],
    ['ệ', CHAR.ACCENTED],
    ['×', CHAR.PUNCT],
    ['÷', CHAR.PUNCT],
    ['€', CHAR.PUNCT],
    ['—', CHAR.PUNCT],
    ['Ω', CHAR.GREEK],
    ['ἀ', CHAR.GREEK],
    ['ж', CHAR.CYRILLIC],
    ['ї', CHAR.CYRILLIC],
    ['א', CHAR.HEBREW],
    ['ع', CHAR.ARABIC],
    ['क', CHAR.INDIC],
    ['ก', CHAR.THAI],
    ['한', CHAR.HANGUL],
    ['ㄱ', CHAR.HANGUL],
    ['ᄀ', CHAR.HANGUL],
    ['中', CHAR.HAN],
    ['⺀', CHAR.HAN],
    ['豈', CHAR.HAN],
    ['あ', CHAR.KANA],
    ['ア', CHAR.KANA],
    ['ｱ', CHAR.KANA],
    ['、', CHAR.PUNCT],
    ['\ud83d', CHAR.ASTRAL],
    ['\ude00', CHAR.SKIP],
  ])('puts %j in class %i', (ch, cls) => {
    expect(charClass(ch.charCodeAt(0))).toBe(cls);
  });
});
