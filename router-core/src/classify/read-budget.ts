/**
 * Characters of a request the classifier's scanner reads, however long the request is. The
 * scanner costs about 20 ns a character on a slow cloud core (2.8 GHz Xeon under Firecracker,
 * where a bare `charCodeAt` loop already costs 3 ns), so reading a whole 2k-token chat (8k
 * characters) takes about 180 µs and a 100k-token one 10 ms: far over the routing targets of
 * p99 50 µs and 2 ms. 1,024 characters is about 20 µs.
 *
 * What is read: the ask (the last user turn) first, whole when short, else its head and tail
 * windows; then this budget shared evenly over every other text and the long ask's middle, in
 * order, each read whole when it fits its share, else as a few windows spread over it. What is
 * extrapolated: a sampled text's tokens, words, letters, function words and cue strengths, by its
 * length over the characters read. What is lost: the exact token count (a few per cent off
 * instead, see `read-texts.test.ts`); cues between the windows, which count only through what the
 * windows happen to hold, scaled up, so one cue word seen in a small window of a long context
 * message weighs as if the whole message were as dense; and the few characters of look-around at a
 * window's edges. PII is not sampled: the unread parts pass a native pre-filter (see `countPii`).
 */
export const READ_BUDGET_CHARS = 1024;

/**
 * Least a text is read, however many share the budget, so none goes unread (its script, its
 * kind): a few words. Small because with a thousand messages the floor is what is read: at 16
 * characters a 100k-token chat of 978 messages reads 16k characters, about 0.3 ms.
 */
export const MIN_SHARE_CHARS = 16;

/** The characters each text may read: water-filling the budget in the order texts come. */
export class ReadBudget {
  private remaining: number;
  private textsLeft: number;

  /** `chars` to share over `texts` texts (those read whole beforehand call `spend`). */
  constructor(chars: number, texts: number) {
    this.remaining = chars;
    this.textsLeft = texts;
  }

  /** Takes characters read outside the sharing (the ask, read first). */
  spend(chars: number): void {
    this.remaining -= chars;
  }

  /**
   * The characters the next text of `length` may read: all of it, or an even share of what is
   * left (at least `MIN_SHARE_CHARS`); a short text leaves the rest of its share to those after.
   */
  take(length: number): number {
    const share = Math.max(
      MIN_SHARE_CHARS,
      Math.floor(Math.max(0, this.remaining) / Math.max(1, this.textsLeft)),
    );
    const chars = Math.min(length, share);
    this.remaining -= chars;
    this.textsLeft--;
    return chars;
  }
}
