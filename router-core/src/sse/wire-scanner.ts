import type { ChatCompletionChunk } from '../openai/chat-response.ts';
import { joinBytes } from './byte-pool.ts';
import {
  ascii,
  CLOSE_BRACKET,
  COLON,
  COMMA,
  CR,
  equalAt,
  isSpace,
  LF,
  NINE,
  OPEN_BRACE,
  OPEN_BRACKET,
  QUOTE,
  SPACE,
  skipSpace,
  stringEnd,
  ZERO,
} from './json-bytes.ts';
import { WireEvent, type WireFacts, WireRead } from './wire-event.ts';

const DATA = ascii('data:');
const DONE = ascii('[DONE]');
const NULL = ascii('null');
const encoder = new TextEncoder();
const LONE_CR = Uint8Array.of(CR);
const utf8 = new TextDecoder();

// The keys the router reads, by what they tell it.
const KEY = {
  finish_reason: ascii('finish_reason'),
  usage: ascii('usage'),
  choices: ascii('choices'),
  content: ascii('content'),
  error: ascii('error'),
  tool_calls: ascii('tool_calls'),
  index: ascii('index'),
  reasoning: ascii('reasoning'),
  function_call: ascii('function_call'),
} as const;

/**
 * Reads what the router needs from one event's JSON (`bytes[start, end)`) in one pass over its
 * bytes: the keys it cares about and the first byte of their values, strings skipped whole (a
 * quote inside a string is escaped, so a key can never be mistaken for text).
 */
export const scanFacts = (bytes: Uint8Array, start: number, end: number): WireFacts => {
  const facts: WireFacts = {
    finished: false,
    totals: false,
    usage: 'absent',
    usageNullField: undefined,
    mapped: false,
    error: false,
    rich: false,
    content: undefined,
  };
  let texts = 0;
  for (let p = start; p < end; p++) {
    if (bytes[p] !== QUOTE) continue;
    const close = stringEnd(bytes, p, end);
    const colon = skipSpace(bytes, close + 1, end);
    if (bytes[colon] !== COLON) {
      p = close;
      continue;
    }
    const keyAt = p + 1;
    const keyLength = close - keyAt;
    const value = skipSpace(bytes, colon + 1, end);
    const first = bytes[value];
    if (equalAt(bytes, keyAt, keyLength, KEY.content)) {
      if (first === QUOTE) {
        const valueEnd = stringEnd(bytes, value, end);
        texts++;
        facts.content = [value, valueEnd + 1];
        p = valueEnd;
        continue;
      }
    } else if (equalAt(bytes, keyAt, keyLength, KEY.finish_reason)) {
      if (first === QUOTE) facts.finished = true;
    } else if (equalAt(bytes, keyAt, keyLength, KEY.usage)) {
      if (first === OPEN_BRACE) facts.usage = 'object';
      else if (equalAt(bytes, value, NULL.length, NULL)) {
        facts.usage = 'null';
        facts.usageNullField = nullField(bytes, p, value + NULL.length, end);
      }
    } else if (equalAt(bytes, keyAt, keyLength, KEY.choices)) {
      if (first === OPEN_BRACKET && bytes[skipSpace(bytes, value + 1, end)] === CLOSE_BRACKET) {
        facts.totals = true;
      }
    } else if (equalAt(bytes, keyAt, keyLength, KEY.index)) {
      const next = bytes[value + 1];
      if (first !== ZERO || (next !== undefined && next >= ZERO && next <= NINE)) facts.rich = true;
    } else if (equalAt(bytes, keyAt, keyLength, KEY.tool_calls)) {
      facts.rich = true;
    } else if (equalAt(bytes, keyAt, keyLength, KEY.error)) {
      facts.error = true;
    } else if (
      equalAt(bytes, keyAt, keyLength, KEY.reasoning) ||
      equalAt(bytes, keyAt, keyLength, KEY.function_call)
    ) {
      facts.mapped = true;
    }
    p = colon;
  }
  if (texts > 1) facts.rich = true;
  return facts;
};

/** The `"usage": null` field from its key's quote at `key` to `valueEnd`, with one comma. */
const nullField = (
  bytes: Uint8Array,
  key: number,
  valueEnd: number,
  end: number,
): readonly [number, number] => {
  let before = key - 1;
  while (before >= 0 && isSpace(bytes[before])) before--;
  if (bytes[before] === COMMA) return [before, valueEnd];
  const after = skipSpace(bytes, valueEnd, end);
  return [key, bytes[after] === COMMA ? after + 1 : valueEnd];
};

const concat = (a: Uint8Array, b: Uint8Array): Uint8Array =>
  joinBytes([a, b], a.byteLength + b.byteLength);

/** SSE allows CRLF and CR line ends; the scanner reads LF, so the rare others are rewritten. */
const toLf = (bytes: Uint8Array): Uint8Array => {
  const out = new Uint8Array(bytes.byteLength);
  let n = 0;
  for (let i = 0; i < bytes.byteLength; i++) {
    const byte = bytes[i] as number;
    if (byte !== CR) out[n++] = byte;
    else if (bytes[i + 1] !== LF) out[n++] = LF;
  }
  return out.subarray(0, n);
};

/** The data of an event that is not one `data:` line: its data lines joined, per the SSE spec. */
const dataOfBlock = (bytes: Uint8Array, start: number, end: number): string | undefined => {
  const lines = utf8.decode(bytes.subarray(start, end)).split('\n');
  const data: string[] = [];
  for (const line of lines) {
    if (!line.startsWith('data:')) continue;
    data.push(line.slice(line.charCodeAt(5) === SPACE ? 6 : 5));
  }
  return data.length === 0 ? undefined : data.join('\n');
};

/** A wire scanner: fed the upstream's reads as they come, it gives their complete events. */
export type WireScanner = {
  /** The complete events of the bytes so far (a partial event waits for the next read). */
  push(bytes: Uint8Array): WireRead | undefined;
  /** The body ended: a last event that came without its blank line. */
  end(): WireRead | undefined;
  /** `data: [DONE]` came: the answer is whole, anything after it is ignored. */
  readonly done: boolean;
};

/**
 * The sans-I/O reader of an OpenAI-shaped SSE body: splits the bytes into events without
 * decoding them, drops comments and `[DONE]`, and marks what each event says (`scanFacts`).
 * `parse` turns an event's JSON into router-core's chunk where the router must read it whole.
 */
export const createWireScanner = (parse: (data: string) => ChatCompletionChunk): WireScanner => {
  let tail: Uint8Array | undefined;
  let done = false;

  /** The event in `bytes[start, end)`; `next` is past its blank line. */
  const eventOf = (
    bytes: Uint8Array,
    start: number,
    end: number,
    next: number,
  ): WireEvent | undefined => {
    // The common case: one `data:` line and its blank line, viewed in place.
    const lf = bytes.indexOf(LF, start);
    if (next === end + 2 && lf === end && equalAt(bytes, start, DATA.length, DATA)) {
      const from = bytes[start + DATA.length] === SPACE ? DATA.length + 1 : DATA.length;
      const view = bytes.subarray(start, next);
      const json = end - start;
      return new WireEvent(view, [from, json], scanFacts(view, from, json), parse);
    }
    const data = dataOfBlock(bytes, start, end);
    if (data === undefined) return undefined;
    const framed = encoder.encode(`data: ${data}\n\n`);
    const json = framed.byteLength - 2;
    return new WireEvent(framed, [6, json], scanFacts(framed, 6, json), parse);
  };

  const read = (bytes: Uint8Array, final: boolean): WireRead | undefined => {
    const events: WireEvent[] = [];
    // Whether `bytes` up to the last event holds nothing but those events as they came.
    let exact = true;
    let skipped = false;
    let at = 0;
    let forwarded = 0;
    while (at < bytes.byteLength && !done) {
      let blank = bytes.indexOf(LF, at);
      while (blank !== -1 && bytes[blank + 1] !== LF) blank = bytes.indexOf(LF, blank + 1);
      if (blank === -1 && !final) break;
      const end = blank === -1 ? bytes.byteLength : blank;
      const next = blank === -1 ? bytes.byteLength : blank + 2;
      const payload = bytes[at + DATA.length] === SPACE ? at + DATA.length + 1 : at + DATA.length;
      if (equalAt(bytes, at, DATA.length, DATA) && equalAt(bytes, payload, end - payload, DONE)) {
        done = true;
      } else {
        const event = end > at ? eventOf(bytes, at, end, next) : undefined;
        if (event === undefined) skipped = true;
        else {
          if (skipped || event.bytes.buffer !== bytes.buffer) exact = false;
          events.push(event);
          forwarded = next;
        }
      }
      at = next;
    }
    tail = at < bytes.byteLength && !done ? bytes.subarray(at) : undefined;
    if (events.length === 0) return undefined;
    return new WireRead(bytes.subarray(0, forwarded), events, exact, done);
  };

  return {
    push(chunk) {
      if (done) return undefined;
      let bytes = tail === undefined ? chunk : concat(tail, chunk);
      // A CR that ends a read may be half of a CRLF: it waits for the next byte.
      const held = bytes[bytes.byteLength - 1] === CR;
      if (held) bytes = bytes.subarray(0, -1);
      if (bytes.indexOf(CR) !== -1) bytes = toLf(bytes);
      const out = read(bytes, false);
      if (held && !done) tail = tail === undefined ? LONE_CR : concat(tail, LONE_CR);
      return out;
    },
    end() {
      if (done || tail === undefined) return undefined;
      return read(tail.indexOf(CR) === -1 ? tail : toLf(tail), true);
    },
    get done() {
      return done;
    },
  };
};
