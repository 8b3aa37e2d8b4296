import type { ChatCompletionChunk } from '../openai/chat-response.ts';

/**
 * One SSE event of an upstream that speaks the client's wire (OpenAI `chat.completion.chunk`),
 * kept as the text it came in: the router reads only what it needs (finish reason, usage) and
 * forwards the bytes, parsing the chunk only where it must (`chunk()`, once).
 */
export type WireEvent = {
  readonly wire: true;
  /** The event's JSON, as the upstream sent it. */
  readonly data: string;
  /** The chunk carries a finish reason. */
  readonly finished: boolean;
  /** The usage-only chunk (`choices: []`). */
  readonly totals: boolean;
  /** What the chunk says of usage: no field, `null`, or an object (running or final totals). */
  readonly usage: 'absent' | 'null' | 'object';
  /** Nothing in it that the router's own chunk mapping would change (vLLM's `reasoning`, …). */
  readonly plain: boolean;
  /** The chunk in router-core's shape (parsed on first use). */
  chunk(): ChatCompletionChunk;
};

const FINISHED = /"finish_reason":\s*"/;
const TOTALS = /"choices":\s*\[\s*\]/;
const USAGE_OBJECT = /"usage":\s*\{/;
const USAGE_NULL = /"usage":\s*null/;
// Fields the router maps rather than forwards: vLLM's `reasoning`, OpenAI's legacy function_call.
const MAPPED = /"reasoning":|"function_call"/;

/** Reads what the router needs from an event's JSON text without parsing it. */
export const wireEvent = (
  data: string,
  parse: (data: string) => ChatCompletionChunk,
): WireEvent => {
  let parsed: ChatCompletionChunk | undefined;
  return {
    wire: true,
    data,
    finished: FINISHED.test(data),
    totals: TOTALS.test(data),
    usage: USAGE_OBJECT.test(data) ? 'object' : USAGE_NULL.test(data) ? 'null' : 'absent',
    plain: !MAPPED.test(data),
    chunk: () => {
      parsed ??= parse(data);
      return parsed;
    },
  };
};

/** What a streamed answer yields: a parsed chunk, or a batch of the upstream's own events. */
export type StreamItem = ChatCompletionChunk | readonly WireEvent[];

/** Whether a streamed item is a batch of unparsed wire events. */
export const isWireBatch = (item: StreamItem): item is readonly WireEvent[] => Array.isArray(item);
