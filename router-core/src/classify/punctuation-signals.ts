import {
  isAsciiLetter as isAsciiLetter_,
  isWordChar as isWordChar_,
  operand as operand_,
} from './scan-helpers.ts';

// Imports copied to module constants, as in scan-text.ts: under Vite's module runner (vitest,
// bench) each use of an imported binding is a getter call.
const isAsciiLetter = isAsciiLetter_;
const isWordChar = isWordChar_;
const operand = operand_;

/**
 * 1 for the ASCII marks `codeSignal` or `mathSignal` can score, and "@" (a possible email):
 * the scanner looks around no other mark. Keep in step with the two switches below.
 */
export const SIGNAL_MARKS = new Uint8Array(128);
for (const mark of '`;({}_=-:&|^\\+*/<>@') SIGNAL_MARKS[mark.charCodeAt(0)] = 1;

/** How much an ASCII mark at `i` says "code" (`=>`, `;` at a line end, calls, backticks …). */
export const codeSignal = (
  text: string,
  i: number,
  c: number,
  before: number,
  next: number,
): number => {
  switch (c) {
    case 96: // `
      return next === 96 ? 0.25 : 0.15;
    case 59: // ;
      return next === 10 || next === 13 || next === 0 ? 0.3 : 0;
    case 40: // ( after a name is a call, unless it is f(x)
      return isWordChar(before) && !mathCall(text, i, before) ? 0.15 : 0;
    case 123: // {
    case 125: // }
      return 0.05;
    case 95: // _ inside snake_case
      return isWordChar(before) && isWordChar(next) ? 0.1 : 0;
    case 61: // => ==
      return next === 62 || next === 61 ? 0.3 : 0;
    case 45: // ->
      return next === 62 ? 0.3 : 0;
    case 58: // ::
      return next === 58 ? 0.15 : 0;
    case 38: // &&
      return next === 38 ? 0.3 : 0;
    case 124: // ||
      return next === 124 ? 0.3 : 0;
    default:
      return 0;
  }
};

/** f(x): a one-letter function applied to a one-letter argument. */
const mathCall = (text: string, i: number, before: number): boolean =>
  isAsciiLetter(before) && !isAsciiLetter(text.charCodeAt(i - 2)) && text.charCodeAt(i + 2) === 41;

/** How much an ASCII mark at `i` says "maths" (operators between numbers or variables, ^, LaTeX). */
export const mathSignal = (
  text: string,
  i: number,
  c: number,
  before: number,
  next: number,
): number => {
  switch (c) {
    case 40: // (
      return mathCall(text, i, before) ? 0.3 : 0;
    case 61: // =
      if (next === 62 || next === 61) return 0;
      return operand(text, i, -1) + operand(text, i, 1) >= 2 ? 0.2 : 0;
    case 45: // -
      if (next === 62) return 0;
      return operand(text, i, -1) > 0 && operand(text, i, 1) > 0 ? 0.1 : 0;
    case 94: // ^
      return 0.3;
    case 92: // backslash: LaTeX commands (\frac, \sum), not escapes (\n)
      return isAsciiLetter(next) && isAsciiLetter(text.charCodeAt(i + 2)) ? 0.4 : 0;
    case 43: // +
    case 42: // *
    case 47: // /
    case 60: // <
    case 62: // >
      return operand(text, i, -1) > 0 && operand(text, i, 1) > 0 ? 0.15 : 0;
    default:
      return 0;
  }
};

/** A mathematical symbol beyond ASCII (∑ ∫ √ ≤ …, superscripts, × and ÷). */
export const isMathSymbol = (c: number): boolean =>
  (c >= 0x2200 && c <= 0x22ff) || c === 0xd7 || c === 0xf7 || c === 0xb2 || c === 0xb3;
