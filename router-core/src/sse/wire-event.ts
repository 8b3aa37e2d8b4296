import type { ChatCompletionChunk } from '../openai/chat-response.ts';
import { takeBytes } from './byte-pool.ts';

const utf8 = new TextDecoder();

/** What a light scan of one event's JSON found, without parsing it (see wire-scanner.ts). */
export type WireFacts = {
  /** The chunk carries a finish reason (a string, not `null`). */
  finished: boolean;
  /** The usage-only chunk (`choices: []`). */
  totals: boolean;
  /** What the chunk says of usage: no field, `null`, or an object (running or final totals). */
  usage: 'absent' | 'null' | 'object';
  /** The `usage: null` field with the comma that joins it, as a byte range of the event. */
  usageNullField: readonly [number, number] | undefined;
  /** A field the router maps rather than forwards (vLLM's `reasoning`, OpenAI's `function_call`). */
  mapped: boolean;
  /** An error event (`{"error":…}`): the upstream gave up on this answer. */
  error: boolean;
  /** More than one choice's text, tool calls, another choice index: read it parsed. */
  rich: boolean;
  /** The delta's `content` string as its JSON literal (quotes included), a byte range of the event. */
  content: readonly [number, number] | undefined;
};

/**
 * One SSE event of an upstream that speaks the client's wire (OpenAI `chat.completion.chunk`),
 * kept as the bytes it came in: the router reads only what it needs (finish reason, usage, the
 * text for the answer's summary) and forwards the bytes, parsing the chunk only where it must
 * (`chunk()`, once).
 */
export class WireEvent {
  /** The whole event, `data: …\n\n` (a view of the upstream's read where it came so). */
  readonly bytes: Uint8Array;
  /** Where its JSON starts and ends in `bytes`. */
  readonly start: number;
  readonly end: number;
  readonly facts: WireFacts;
  private readonly parse: (data: string) => ChatCompletionChunk;
  private parsed: ChatCompletionChunk | undefined;

  constructor(
    bytes: Uint8Array,
    range: readonly [start: number, end: number],
    facts: WireFacts,
    parse: (data: string) => ChatCompletionChunk,
  ) {
    this.bytes = bytes;
    this.start = range[0];
    this.end = range[1];
    this.facts = facts;
    this.parse = parse;
  }

  get finished(): boolean {
    return this.facts.finished;
  }
  get totals(): boolean {
    return this.facts.totals;
  }
  get usage(): WireFacts['usage'] {
    return this.facts.usage;
  }
  /** Nothing in it that the router's own chunk mapping would change. */
  get plain(): boolean {
    return !this.facts.mapped;
  }

  /** The event's JSON, as the upstream sent it. */
  data(): string {
    return utf8.decode(this.bytes.subarray(this.start, this.end));
  }

  /** The chunk in router-core's shape (parsed on first use). */
  chunk(): ChatCompletionChunk {
    this.parsed ??= this.parse(this.data());
    return this.parsed;
  }

  /** The delta's text, decoded from its literal alone; undefined when it carries none. */
  text(): string | undefined {
    const range = this.facts.content;
    if (range === undefined) return undefined;
    const literal = utf8.decode(this.bytes.subarray(range[0], range[1]));
    return literal.includes('\\') ? (JSON.parse(literal) as string) : literal.slice(1, -1);
  }

  /**
   * The chunk as far as an answer's summary reads it (text, tool calls, finish reason, model):
   * an event that carries only text is not parsed, its text alone is read.
   */
  view(): ChatCompletionChunk {
    const { facts } = this;
    if (this.parsed || facts.rich || facts.finished || facts.totals || facts.mapped) {
      return this.chunk();
    }
    const text = this.text();
    return {
      id: '',
      object: 'chat.completion.chunk',
      created: 0,
      model: '',
      choices: [
        { index: 0, delta: text === undefined ? {} : { content: text }, finish_reason: null },
      ],
    };
  }

  /** The event without its `usage: null` field (for a client that did not ask for usage). */
  withoutUsageNull(): Uint8Array | undefined {
    const field = this.facts.usageNullField;
    if (field === undefined) return undefined;
    const out = takeBytes(this.bytes.byteLength - (field[1] - field[0]));
    out.set(this.bytes.subarray(0, field[0]));
    out.set(this.bytes.subarray(field[1]), field[0]);
    return out;
  }
}

/**
 * The complete events of one upstream read, and those bytes: `exact` when `bytes` is nothing
 * but these events as they came (no comment, `[DONE]` or re-framed event among them), so a read
 * whose events all go out unchanged is forwarded as the very bytes that arrived.
 */
export class WireRead {
  readonly bytes: Uint8Array;
  readonly events: readonly WireEvent[];
  readonly exact: boolean;
  /** The read ended the answer (`data: [DONE]` came in it): nothing more is coming upstream. */
  readonly last: boolean;

  constructor(bytes: Uint8Array, events: readonly WireEvent[], exact: boolean, last = false) {
    this.bytes = bytes;
    this.events = events;
    this.exact = exact;
    this.last = last;
  }
}

/** What a streamed answer yields: a parsed chunk, or a read of the upstream's own events. */
export type StreamItem = ChatCompletionChunk | WireRead;

/** Whether a streamed item is a read of unparsed wire events. */
export const isWireRead = (item: StreamItem): item is WireRead => item instanceof WireRead;
