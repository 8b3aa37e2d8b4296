import { errorEnvelope, RouterError } from '../errors/router-error.ts';
import type { ChatCompletionChunk, Usage } from '../openai/chat-response.ts';
import { joinBytes } from './byte-pool.ts';
import { SSE_DONE, sseData } from './sse.ts';
import type { WireEvent, WireRead } from './wire-event.ts';

/**
 * A chunk as this client asked for it, as OpenAI sends it. Usage is always requested upstream
 * (for accounting); with `stream_options.include_usage` every content chunk carries
 * `usage: null` (a provider's running usage is not passed on) and the usage-only chunk
 * (`choices: []`) comes last with the totals; without it the usage-only chunk is dropped and
 * `usage` stripped. `undefined`: nothing to send.
 */
export const chunkForClient = (
  chunk: ChatCompletionChunk,
  includeUsage: boolean,
): ChatCompletionChunk | undefined => {
  const { usage, ...rest } = chunk;
  if (chunk.choices.length === 0) {
    return usage && includeUsage ? { ...rest, usage } : undefined;
  }
  return includeUsage ? { ...rest, usage: null } : rest;
};

/** Why a stream broke, as the client's final `data: {"error":…}` event. */
export const midStreamError = (thrown: unknown): RouterError =>
  thrown instanceof RouterError
    ? thrown
    : new RouterError(
        'upstream_error',
        `The upstream failed after the answer started: ${thrown instanceof Error ? thrown.message : String(thrown)}`,
      );

/** The bytes of one streamed answer, without I/O: each door moves them its own way. */
export type SseWriter = {
  /** The chunk's event, or undefined when the client gets nothing for it (usage is kept). */
  chunk(chunk: ChatCompletionChunk): Uint8Array | undefined;
  /**
   * An upstream event forwarded as the bytes it came in where it already is what `chunk` would
   * send (OpenAI sends `usage: null` on content chunks and the totals last, as a client that
   * asked for usage wants; for one that did not, that field is cut out of the bytes and the
   * totals dropped); parsed and rewritten only where it is not (running usage on a content
   * chunk, fields the router maps). The event's own `bytes` when it goes out unchanged.
   */
  wire(event: WireEvent): Uint8Array | undefined;
  /**
   * An upstream read's events as one write (`wire` for each): the read's own bytes when every
   * event goes out unchanged, undefined when all are dropped.
   */
  read(read: WireRead): Uint8Array | undefined;
  /** `data: [DONE]`, for an answer that ended whole. */
  done(): Uint8Array;
  /** The final error event of an answer cut short (no `[DONE]`, so no client takes it as whole). */
  error(thrown: unknown): Uint8Array;
  /** The last usage the upstream reported, whatever the client sees. */
  usage(): Usage | undefined;
};

/** The one SSE chunk writer of both doors. */
export const createSseWriter = (includeUsage: boolean): SseWriter => {
  let usage: Usage | undefined;
  const chunk = (value: ChatCompletionChunk) => {
    if (value.usage) usage = value.usage;
    const out = chunkForClient(value, includeUsage);
    return out === undefined ? undefined : sseData(out);
  };
  const wire = (event: WireEvent): Uint8Array | undefined => {
    if (!event.plain) return chunk(event.chunk());
    if (event.totals) {
      const totals = event.chunk().usage;
      if (totals) usage = totals;
      return includeUsage && totals ? event.bytes : undefined;
    }
    if (event.usage === 'object') return chunk(event.chunk());
    if (includeUsage) return event.usage === 'null' ? event.bytes : chunk(event.chunk());
    if (event.usage === 'absent') return event.bytes;
    return event.withoutUsageNull() ?? chunk(event.chunk());
  };
  return {
    chunk,
    wire,
    read(read) {
      const { events } = read;
      if (events.length === 1) {
        const bytes = wire(events[0] as WireEvent);
        return read.exact && bytes === (events[0] as WireEvent).bytes ? read.bytes : bytes;
      }
      const parts: Uint8Array[] = [];
      let unchanged = read.exact;
      let size = 0;
      for (const event of events) {
        const bytes = wire(event);
        if (bytes !== event.bytes) unchanged = false;
        if (bytes === undefined) continue;
        parts.push(bytes);
        size += bytes.byteLength;
      }
      if (unchanged) return read.bytes;
      return parts.length <= 1 ? parts[0] : joinBytes(parts, size);
    },
    done: () => SSE_DONE,
    error: (thrown) => sseData(errorEnvelope(midStreamError(thrown))),
    usage: () => usage,
  };
};
