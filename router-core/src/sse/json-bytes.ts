/** Byte-level reading of JSON text without parsing it: what the SSE scanners share. */

export const LF = 10;
export const CR = 13;
export const SPACE = 32;
export const TAB = 9;
export const QUOTE = 34;
export const BACKSLASH = 92;
export const COLON = 58;
export const COMMA = 44;
export const OPEN_BRACE = 123;
export const CLOSE_BRACE = 125;
export const OPEN_BRACKET = 91;
export const CLOSE_BRACKET = 93;
export const ZERO = 48;
export const NINE = 57;

export const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);

export const isSpace = (byte: number | undefined): boolean =>
  byte === SPACE || byte === TAB || byte === LF || byte === CR;

export const equalAt = (
  bytes: Uint8Array,
  at: number,
  length: number,
  word: Uint8Array,
): boolean => {
  if (length !== word.length) return false;
  for (let i = 0; i < length; i++) if (bytes[at + i] !== word[i]) return false;
  return true;
};

/** Where the string starting with the quote at `at` ends (the index of its closing quote). */
export const stringEnd = (bytes: Uint8Array, at: number, end: number): number => {
  let q = at + 1;
  while (q < end) {
    const byte = bytes[q];
    if (byte === QUOTE) return q;
    q += byte === BACKSLASH ? 2 : 1;
  }
  return end;
};

export const skipSpace = (bytes: Uint8Array, at: number, end: number): number => {
  let p = at;
  while (p < end && isSpace(bytes[p])) p++;
  return p;
};
