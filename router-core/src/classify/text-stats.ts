/** What one pass over a request's text found; weighted sums where a cue's place matters. */
export class TextStats {
  /** Estimated tokens (o200k-like BPE), unweighted. */
  tokens = 0;
  /** Words of Latin script (letters only), unweighted. */
  words = 0;
  latinLetters = 0;
  /** Letters of other scripts (CJK, Cyrillic, Arabic, Devanagari, …). */
  otherLetters = 0;
  /** Cue strengths, weighted by where the text sits (the last user turn counts most). */
  reasoning = 0;
  code = 0;
  math = 0;
  multiStep = 0;
  simpleTask = 0;
  /** Function words of English, and of the dominant other Latin-script language if it won. */
  englishWords = 0;
  foreignWords = 0;
  /** PII-looking spans: email addresses, phone numbers, card numbers (Luhn), SSNs. */
  pii = 0;
}
