/** Small character tests and look-arounds for the scanner; none allocates or backtracks. */

export const isDigit = (c: number): boolean => c >= 48 && c <= 57;
export const isAsciiLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
export const isWordChar = (c: number): boolean => isDigit(c) || isAsciiLetter(c) || c === 95;

/**
 * What sits next to an operator at `at`, looking in direction `step` past one space: 2 for a
 * digit, 1 for a one-letter variable ("x", not "and"), 0 for anything else.
 */
export const operand = (text: string, at: number, step: 1 | -1): number => {
  let j = at + step;
  if (text.charCodeAt(j) === 32) j += step;
  const c = text.charCodeAt(j);
  if (isDigit(c)) return 2;
  if (!isAsciiLetter(c)) return 0;
  // A variable may carry a coefficient or prime ("3x", "x'"), never another letter.
  return isAsciiLetter(text.charCodeAt(j + step)) ? 0 : 1;
};

/** Whether `text[start, end)` spells `word` (lowercase), folding ASCII case. */
export const spells = (text: string, start: number, end: number, word: string): boolean => {
  if (end - start !== word.length) return false;
  for (let k = 0; k < word.length; k++) {
    if ((text.charCodeAt(start + k) | 32) !== word.charCodeAt(k)) return false;
  }
  return true;
};

/** An email address around the "@" at `at`: bounded look-ahead. */
export const emailAt = (text: string, at: number): boolean => {
  if (at === 0 || !isWordChar(text.charCodeAt(at - 1))) return false;
  let dots = 0;
  let lettersAfterDot = 0;
  const end = Math.min(text.length, at + 254);
  for (let j = at + 1; j < end; j++) {
    const c = text.charCodeAt(j);
    if (c === 46) {
      dots++;
      lettersAfterDot = 0;
    } else if (isAsciiLetter(c)) lettersAfterDot++;
    else if (isDigit(c) || c === 45) lettersAfterDot = 0;
    else break;
  }
  return dots > 0 && lettersAfterDot >= 2;
};

/** A number at a line start followed by "." or ")" and a space: an enumerated step ("2. "). */
export const enumeratedStepAt = (text: string, at: number): boolean => {
  let j = at + 1;
  while (j < at + 3 && isDigit(text.charCodeAt(j))) j++;
  const after = text.charCodeAt(j);
  return (after === 46 || after === 41) && text.charCodeAt(j + 1) === 32;
};
