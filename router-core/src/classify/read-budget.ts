/**
 * What the classifier's scanner reads of a request, however long it is. The scanner costs a few
 * nanoseconds a character and a text's setup a few hundred, so reading every character of a
 * 2k-token chat (8k characters, 22 texts) takes about 100 µs on a slow cloud core and a 100k-token
 * one several milliseconds: far over the routing targets of p99 50 µs and 2 ms.
 *
 * What is read: the ask (the last user turn) whole when it is at most `LONG_ASK_CHARS` long, else
 * its head and tail, `ASK_WINDOW_CHARS` each, for its cues; then the rest of the request (every
 * other text and the middle of a long ask, "the context") whole when it fits in the windows'
 * characters (`contextWindows` × `CONTEXT_WINDOW_CHARS`), else through those windows spread
 * evenly over it as if its texts were one document (see `ContextWindows`): 512 characters for a
 * chat of up to 32 texts, up to 2,048 for one of 128 texts or more.
 *
 * What is extrapolated: the context's tokens, words, letters, function words and cue strengths,
 * by its length over the characters read. What is lost: the exact token count (a few per cent
 * off, see `read-texts.test.ts`); a text no window falls in counts only through the others' rate,
 * so a short message in another script among many is read at theirs; cues between the windows,
 * which count only through what the windows happen to hold, scaled up. PII is not sampled: every
 * text not read whole passes a native pre-filter (see `countPii`).
 */
export const CONTEXT_WINDOW_CHARS = 16;

/**
 * Windows over a sampled context: as many as it has texts, within these bounds. Many small
 * windows (a few words each) estimate a long mixed document far better than a few large ones
 * (code, prose and another script differ fourfold in tokens per character), and one in about
 * every text keeps a chat of mixed messages as close as reading each of them.
 */
export const MIN_CONTEXT_WINDOWS = 32;
export const MAX_CONTEXT_WINDOWS = 128;

/** The windows for a context of `texts` texts. */
export const contextWindows = (texts: number): number =>
  Math.min(MAX_CONTEXT_WINDOWS, Math.max(MIN_CONTEXT_WINDOWS, texts));

/** In a long ask the question sits at its start or end, around pasted material. */
export const ASK_WINDOW_CHARS = 300;
export const LONG_ASK_CHARS = 3 * ASK_WINDOW_CHARS;

/** Where the context part of a text starts: all of any other text, the middle of a long ask. */
export const contextStart = (length: number, ask: boolean): number =>
  !ask ? 0 : length > LONG_ASK_CHARS ? ASK_WINDOW_CHARS : length;

/** Where the context part of a text ends (a short ask has none: it is read as the ask). */
export const contextEnd = (length: number, ask: boolean): number =>
  !ask || length <= LONG_ASK_CHARS ? length : length - ASK_WINDOW_CHARS;
