import { emailAt } from './scan-helpers.ts';
import { scanText } from './scan-text.ts';
import { TextStats } from './text-stats.ts';

/**
 * A digit and the eight characters after it, all digits or the marks that join a digit span
 * (" ", "-", ") "): a span that can look like a phone, card or social security number has nine
 * digits, so it starts with one of these. Looser than the span, and simpler for the regex engine;
 * the scanner decides.
 */
const SPAN_START = /[0-9][0-9 )-]{8}/g;

const region = new TextStats();

/** Characters that can sit in or open a digit span: digits, " ", "-", "(", ")", "+". */
const inSpan = (c: number): boolean =>
  (c >= 48 && c <= 57) || c === 32 || c === 45 || c === 40 || c === 41 || c === 43;

/**
 * The PII-looking spans of a whole text, as `scanText` counts them, without reading all of it
 * with the scanner: native searches (`indexOf`, one regex) find the few places that can hold one,
 * and only there does the scanner's own test run: the email check at each "@", the digit-span
 * check over the run of digits and joining marks around each regex hit (its edges close any span
 * as the whole text's characters there do). So a text read only in part still has all its PII
 * counted, each span once.
 */
export const countPii = (text: string): number => {
  let pii = 0;
  for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
    if (emailAt(text, at)) pii++;
  }

  SPAN_START.lastIndex = 0;
  while (SPAN_START.test(text)) {
    let start = SPAN_START.lastIndex;
    while (start > 0 && inSpan(text.charCodeAt(start - 1))) start--;
    let end = SPAN_START.lastIndex;
    while (end < text.length && inSpan(text.charCodeAt(end))) end++;
    region.pii = 0;
    scanText(text, region, 0, start, end);
    pii += region.pii;
    SPAN_START.lastIndex = end;
  }
  return pii;
};
