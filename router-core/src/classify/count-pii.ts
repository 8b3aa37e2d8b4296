import { emailAt as emailAt_, isDigit as isDigit_ } from './scan-helpers.ts';
import { scanText as scanText_ } from './scan-text.ts';
import { TextStats } from './text-stats.ts';

// Imports copied to module constants, as in scan-text.ts: under Vite's module runner (vitest,
// bench) each use of an imported binding is a getter call, and these run once per candidate.
const emailAt = emailAt_;
const isDigit = isDigit_;
const scanText = scanText_;

/**
 * Characters a span of nine that can hold PII may have: a digit span that looks like a phone,
 * card or social security number has nine digits with at most single " ", "-" or ") " between
 * groups, so nine characters in a row from this class, the first a digit. Looser than the span;
 * the scanner decides.
 */
const inCandidate = (c: number): boolean =>
  (c - 32) >>> 0 < 32 && ((CANDIDATE_MASK >>> (c - 32)) & 1) === 1;
/** The class as bits over U+0020–U+003F: " " (bit 0), ")" (9), "-" (13), "0"–"9" (16–25). */
const CANDIDATE_MASK = (1 << 0) | (1 << 9) | (1 << 13) | (0x3ff << 16);
/** Nine characters in a row from the class hold a position divisible by nine: only those are read. */
const STRIDE = 9;

/** Characters that can sit in or open a digit span: the class above plus "(" and "+". */
const inSpan = (c: number): boolean => (c - 32) >>> 0 < 32 && ((SPAN_MASK >>> (c - 32)) & 1) === 1;
/** Bit masks test a character of a small set with one shift, where comparisons take a branch each. */
const SPAN_MASK = CANDIDATE_MASK | (1 << 8) | (1 << 11);

const region = new TextStats();

/**
 * The PII-looking spans of a whole text, as `scanText` counts them, without reading all of it
 * with the scanner: `indexOf` finds each "@" for the email check, and a probe every ninth
 * character finds the runs that can hold a digit span (a digit and eight more characters of its
 * class); only there, over the run of span characters around it, does the scanner's own test run
 * (its edges close any span as the whole text's characters there do). Prose costs about one read
 * in nine characters. So a text read only in part still has all its PII counted, each span once.
 */
export const countPii = (text: string): number => {
  let pii = 0;
  for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
    if (emailAt(text, at)) pii++;
  }

  const n = text.length;
  let probe = STRIDE - 1;
  while (probe < n) {
    if (!inCandidate(text.charCodeAt(probe))) {
      probe += STRIDE;
      continue;
    }
    // The run of candidate characters around the probe, and a digit with eight more after it.
    let from = probe;
    while (from > 0 && inCandidate(text.charCodeAt(from - 1))) from--;
    let to = probe + 1;
    while (to < n && inCandidate(text.charCodeAt(to))) to++;
    let first = from;
    while (first + STRIDE <= to && !isDigit(text.charCodeAt(first))) first++;
    if (first + STRIDE <= to) {
      while (from > 0 && inSpan(text.charCodeAt(from - 1))) from--;
      while (to < n && inSpan(text.charCodeAt(to))) to++;
      region.pii = 0;
      scanText(text, region, 0, from, to);
      pii += region.pii;
    }
    // The next run starts after `to`, which is not in the class: its first nine hold this probe.
    probe = to + STRIDE;
  }
  return pii;
};
