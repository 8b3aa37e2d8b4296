import {
  ascii,
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COLON,
  equalAt,
  NINE,
  OPEN_BRACE,
  OPEN_BRACKET,
  QUOTE,
  skipSpace,
  stringEnd,
  ZERO,
} from './json-bytes.ts';

/**
 * What one `chat.completion.chunk` event says to a reader that folds a whole answer, read off
 * its bytes: `parse` when it must be parsed (anything but one choice's text: a finish reason,
 * usage, tool calls, logprobs, an error, a field not known here, JSON that does not balance),
 * `none` when it carries no text, or the byte range of its `content` string literal, quotes
 * included.
 */
export type PlainText = { readonly kind: 'parse' } | { readonly kind: 'none' } | PlainTextLiteral;

/** Where an event's text literal is; `indexedBefore`: its choice's index came before it. */
export type PlainTextLiteral = {
  readonly kind: 'text';
  readonly from: number;
  readonly to: number;
  readonly indexedBefore: boolean;
};

const PARSE: PlainText = { kind: 'parse' };
const NONE: PlainText = { kind: 'none' };

/** How a key's value may look in an event that is nothing but text. */
type Rule = 'any' | 'array' | 'object' | 'null' | 'zero' | 'text';

// Every key of a plain text chunk, and what its value must be for the chunk to be only text.
// Values of `any` keys are still scanned: a key inside them must be one of these too.
const RULES: readonly (readonly [Uint8Array, Rule])[] = [
  [ascii('id'), 'any'],
  [ascii('object'), 'any'],
  [ascii('created'), 'any'],
  [ascii('model'), 'any'],
  [ascii('system_fingerprint'), 'any'],
  [ascii('obfuscation'), 'any'],
  [ascii('role'), 'any'],
  [ascii('choices'), 'array'],
  [ascii('delta'), 'object'],
  [ascii('index'), 'zero'],
  [ascii('content'), 'text'],
  [ascii('finish_reason'), 'null'],
  [ascii('usage'), 'null'],
  [ascii('logprobs'), 'null'],
  [ascii('refusal'), 'null'],
  [ascii('reasoning_content'), 'null'],
  [ascii('reasoning'), 'null'],
  [ascii('tool_calls'), 'null'],
  [ascii('function_call'), 'null'],
];
const NULL = ascii('null');
// `{` of the chunk, `[` of choices, `{` of the choice: a choice's fields; `{` of delta: its own.
const CHOICE_DEPTH = 3;
const DELTA_DEPTH = 4;

// The rules by their key's length: a key is compared with the few words of its length only.
const BY_LENGTH: (readonly (readonly [Uint8Array, Rule])[])[] = [];
for (const entry of RULES) {
  const length = entry[0].length;
  BY_LENGTH[length] = [...(BY_LENGTH[length] ?? []), entry];
}

const ruleOf = (bytes: Uint8Array, at: number, length: number): Rule | undefined => {
  const candidates = BY_LENGTH[length];
  if (candidates === undefined) return undefined;
  for (const [word, rule] of candidates) if (equalAt(bytes, at, length, word)) return rule;
  return undefined;
};

/**
 * The scan from `p` on, in the state the bytes before it left: `depth` brackets open, an index
 * seen or not, the text found so far.
 */
const scan = (
  bytes: Uint8Array,
  from: number,
  end: number,
  open: number,
  sawIndex: boolean,
  found: PlainText,
): PlainText => {
  let depth = open;
  let indexed = sawIndex;
  let text = found;
  for (let p = from; p < end; p++) {
    const byte = bytes[p];
    if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      depth++;
      continue;
    }
    if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      if (--depth < 0) return PARSE;
      continue;
    }
    if (byte !== QUOTE) continue;
    const close = stringEnd(bytes, p, end);
    if (close >= end) return PARSE;
    const colon = skipSpace(bytes, close + 1, end);
    if (bytes[colon] !== COLON) {
      p = close;
      continue;
    }
    const value = skipSpace(bytes, colon + 1, end);
    const first = bytes[value];
    switch (ruleOf(bytes, p + 1, close - p - 1)) {
      case 'any':
        break;
      case 'array':
        if (first !== OPEN_BRACKET) return PARSE;
        break;
      case 'object':
        if (first !== OPEN_BRACE) return PARSE;
        break;
      case 'null':
        if (!equalAt(bytes, value, NULL.length, NULL)) return PARSE;
        break;
      case 'zero': {
        const next = bytes[value + 1];
        if (
          depth !== CHOICE_DEPTH ||
          first !== ZERO ||
          (next !== undefined && next >= ZERO && next <= NINE)
        ) {
          return PARSE;
        }
        indexed = true;
        break;
      }
      case 'text': {
        if (depth !== DELTA_DEPTH) return PARSE;
        if (equalAt(bytes, value, NULL.length, NULL)) break;
        if (first !== QUOTE || text !== NONE) return PARSE;
        const literalEnd = stringEnd(bytes, value, end);
        if (literalEnd >= end) return PARSE;
        text = { kind: 'text', from: value, to: literalEnd + 1, indexedBefore: indexed };
        p = literalEnd;
        continue;
      }
      case undefined:
        return PARSE;
    }
    p = colon;
  }
  // Text in a choice without an index is not choice 0's: the parsed fold would skip it.
  if (depth !== 0 || (text !== NONE && !indexed)) return PARSE;
  return text;
};

/**
 * Reads one event's JSON (`bytes[start, end)`) in one pass: whether it is a chunk with nothing
 * but choice 0's text (or nothing at all), and where that text's literal is. Strings are skipped
 * whole, so text cannot be mistaken for a key; brackets are counted, so a cut event is `parse`.
 */
export const plainText = (bytes: Uint8Array, start: number, end: number): PlainText => {
  const open = skipSpace(bytes, start, end);
  if (bytes[open] !== OPEN_BRACE) return PARSE;
  return scan(bytes, open, end, 0, false, NONE);
};

/**
 * `plainText` of an event whose bytes up to `from`, the opening quote of its text literal, are
 * those of an earlier event up to the text that `plainText` found in it (`earlier`): the scan
 * would pass them in the same state, so it starts at the literal. An upstream's text events
 * differ from the first byte of their text on; the bytes before are compared, not scanned.
 */
export const plainTextFrom = (
  bytes: Uint8Array,
  from: number,
  end: number,
  earlier: PlainTextLiteral,
): PlainText => {
  if (bytes[from] !== QUOTE) return PARSE;
  const literalEnd = stringEnd(bytes, from, end);
  if (literalEnd >= end) return PARSE;
  const text: PlainText = {
    kind: 'text',
    from,
    to: literalEnd + 1,
    indexedBefore: earlier.indexedBefore,
  };
  return scan(bytes, literalEnd + 1, end, DELTA_DEPTH, earlier.indexedBefore, text);
};
