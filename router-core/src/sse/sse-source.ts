import type { ChatCompletionChunk, Usage } from '../openai/chat-response.ts';
import { joinBytes } from './byte-pool.ts';
import { sseData } from './sse.ts';
import { createSseWriter } from './sse-writer.ts';
import { isWireRead, type StreamItem } from './wire-event.ts';

/** How a stream ended: `error` carries what the client was told in the final event. */
export type SseEnd =
  | { kind: 'done'; usage: Usage | undefined }
  | { kind: 'error'; error: unknown; usage: Usage | undefined }
  | { kind: 'client_closed'; usage: Usage | undefined; reason?: unknown };

/**
 * The bytes of a streamed answer, pulled by whichever server writes them: `first` is already
 * here, `next` gives the following bytes one write at a time (`null` once the body ended; it
 * never rejects), `cancel` is the client going away.
 */
export type SseSource = {
  first: Uint8Array | undefined;
  next(): Promise<Uint8Array | null>;
  cancel(reason?: unknown): Promise<void>;
};

/** A streamed answer whose first item is in: the rest as it comes, and the way to stop it. */
export type OpenedSse = {
  first: StreamItem;
  rest: AsyncIterator<StreamItem>;
  /** Aborts the upstream call (the client went away). */
  close(reason?: unknown): void;
};

export type SseSourceOptions = {
  /** OpenAI's `stream_options.include_usage`: send the usage chunk, `usage: null` on the rest. */
  includeUsage: boolean;
  /** The client's connection, where the door has one: once it is gone, a failure is its leaving. */
  clientSignal?: AbortSignal | undefined;
  /** Called once when the stream ends, fails, or the client goes away. */
  onEnd: (end: SseEnd) => void;
  /**
   * Sees every upstream chunk, first included, before it is mapped for the client; passed
   * through, an event that carries only text is seen as its text delta alone (WireEvent.view).
   */
  onChunk?: ((chunk: ChatCompletionChunk) => void) | undefined;
  /** A last event to send before `data: [DONE]` (a held call's approval token), once upstream is done. */
  beforeDone?: (() => Promise<unknown>) | undefined;
};

const concat = (a: Uint8Array, b: Uint8Array): Uint8Array =>
  joinBytes([a, b], a.byteLength + b.byteLength);

/**
 * The SSE body of a streamed answer whose first item is already here, the same at both doors:
 * parsed chunks through the one chunk mapper (`createSseWriter`), an upstream's own reads passed
 * through as their bytes. Upstream failures and the end-to-end deadline become a final
 * `data: {"error":…}` event and a clean close (no `[DONE]`, so no client mistakes the cut answer
 * for a whole one); a client that goes away cancels the body, which aborts the upstream call.
 */
export const createSseSource = (opened: OpenedSse, options: SseSourceOptions): SseSource => {
  const writer = createSseWriter(options.includeUsage);
  const { onChunk } = options;
  let ended = false;
  const end = (how: SseEnd) => {
    if (ended) return;
    ended = true;
    options.onEnd(how);
  };
  const bytesOf = (item: StreamItem): Uint8Array | undefined => {
    if (!isWireRead(item)) {
      onChunk?.(item);
      return writer.chunk(item);
    }
    if (onChunk !== undefined) for (const event of item.events) onChunk(event.view());
    return writer.read(item);
  };

  return {
    first: bytesOf(opened.first),
    async next() {
      if (ended) return null;
      // The bytes of a read that ended the upstream's answer: they go out with the stream's end
      // (one write for the finish chunk and `[DONE]`, not two).
      let last: Uint8Array | undefined;
      const withLast = (bytes: Uint8Array) => (last === undefined ? bytes : concat(last, bytes));
      try {
        // Loop until there are bytes: a dropped usage chunk must not stall the body.
        for (;;) {
          const next = await opened.rest.next();
          if (next.done) {
            const approval = await options.beforeDone?.();
            end({ kind: 'done', usage: writer.usage() });
            const done =
              approval === undefined ? writer.done() : concat(sseData(approval), writer.done());
            return withLast(done);
          }
          const bytes = bytesOf(next.value);
          if (isWireRead(next.value) && next.value.last) {
            if (bytes !== undefined) last = withLast(bytes);
            continue;
          }
          if (bytes !== undefined) return withLast(bytes);
        }
      } catch (error) {
        if (ended) return null;
        if (options.clientSignal?.aborted) {
          end({ kind: 'client_closed', usage: writer.usage() });
          return null;
        }
        end({ kind: 'error', error, usage: writer.usage() });
        return withLast(writer.error(error));
      }
    },
    async cancel(reason) {
      opened.close(reason);
      end({ kind: 'client_closed', usage: writer.usage(), reason });
      await opened.rest.return?.(undefined)?.catch(() => {});
    },
  };
};

/** A source as a web stream (a `Response` body), pulled one write at a time. */
export const sseStream = (source: SseSource): ReadableStream<Uint8Array> =>
  new ReadableStream<Uint8Array>(
    {
      start(controller) {
        if (source.first !== undefined) controller.enqueue(source.first);
      },
      async pull(controller) {
        const bytes = await source.next();
        if (bytes === null) {
          controller.close();
          return;
        }
        controller.enqueue(bytes);
      },
      cancel: (reason) => source.cancel(reason),
    },
    // Pull one chunk at a time: backpressure reaches the upstream read.
    { highWaterMark: 0 },
  );
