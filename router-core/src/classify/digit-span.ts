/**
 * Digits with single spaces or dashes between groups, read one character at a time: at its end,
 * does the span look like a phone number, a payment card (Luhn) or a US social security number?
 */
export class DigitSpan {
  private digits = 0;
  private groups = 0;
  private separators = 0;
  private groupLength = 0;
  private ssnShape = true;
  private luhnEven = 0;
  private luhnOdd = 0;
  private plus = false;

  /** Whether a span is open. */
  get open(): boolean {
    return this.digits > 0;
  }

  /** A "+" right before a digit: an international number follows. */
  markPlus(): void {
    this.plus = true;
  }

  /** Adds the digit `d` (0-9); `startsGroup` at the first digit of a run. */
  digit(d: number, startsGroup: boolean): void {
    if (startsGroup && (this.digits === 0 || this.groupLength === 0)) this.groups++;
    const doubled = d * 2 > 9 ? d * 2 - 9 : d * 2;
    // Luhn doubles every second digit from the right: keep both parities, pick at the end.
    if (this.digits % 2 === 0) {
      this.luhnEven += doubled;
      this.luhnOdd += d;
    } else {
      this.luhnEven += d;
      this.luhnOdd += doubled;
    }
    this.digits++;
    this.groupLength++;
  }

  /** A space or dash between groups keeps the span open; returns false if `c` cannot. */
  separator(c: number, nextIsDigit: boolean): boolean {
    if ((c !== 32 && c !== 45) || this.groupLength === 0 || !nextIsDigit) return false;
    if (c !== 45) this.ssnShape = false;
    const expected = this.groups === 1 ? 3 : 2;
    if (this.groups > 2 || this.groupLength !== expected) this.ssnShape = false;
    this.separators++;
    this.groupLength = 0;
    return true;
  }

  /** Closes the span: 1 if it looked like PII, else 0. */
  end(): number {
    let pii = 0;
    if (this.digits >= 9) {
      const luhn = this.digits % 2 === 0 ? this.luhnEven : this.luhnOdd;
      if (this.digits === 9 && this.groups === 3 && this.ssnShape && this.groupLength === 4)
        pii = 1;
      else if (this.digits >= 13 && this.digits <= 19 && luhn % 10 === 0) pii = 1;
      else if (this.digits >= 10 && this.digits <= 15 && (this.separators > 0 || this.plus))
        pii = 1;
    }
    this.digits = 0;
    this.groups = 0;
    this.separators = 0;
    this.groupLength = 0;
    this.ssnShape = true;
    this.luhnEven = 0;
    this.luhnOdd = 0;
    this.plus = false;
    return pii;
  }
}
