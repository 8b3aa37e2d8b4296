/** What reading a request's text found; weighted sums where a cue's place matters. */
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

  /** Back to nothing found. */
  clear(): void {
    this.tokens = 0;
    this.words = 0;
    this.latinLetters = 0;
    this.otherLetters = 0;
    this.reasoning = 0;
    this.code = 0;
    this.math = 0;
    this.multiStep = 0;
    this.simpleTask = 0;
    this.englishWords = 0;
    this.foreignWords = 0;
    this.pii = 0;
  }

  /**
   * Adds a sample's counts times `scale` (what the whole text would hold at the sample's rate).
   * PII spans are not a rate: they are left out, for the caller to count over the whole text.
   */
  addScaled(sample: TextStats, scale: number): void {
    this.tokens += sample.tokens * scale;
    this.words += sample.words * scale;
    this.latinLetters += sample.latinLetters * scale;
    this.otherLetters += sample.otherLetters * scale;
    this.reasoning += sample.reasoning * scale;
    this.code += sample.code * scale;
    this.math += sample.math * scale;
    this.multiStep += sample.multiStep * scale;
    this.simpleTask += sample.simpleTask * scale;
    this.englishWords += sample.englishWords * scale;
    this.foreignWords += sample.foreignWords * scale;
  }
}
