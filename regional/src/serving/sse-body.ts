import {
  type ChatCompletionChunk,
  createSseWriter,
  isWireBatch,
  type StreamItem,
  sseData,
  type Usage,
} from '@switchback/router-core';
import type { OpenedStream } from '../resilience/provider-runner.ts';

/** How a stream ended: `error` carries what the client was told in the final event. */
export type StreamEnd =
  | { kind: 'done'; usage: Usage | undefined }
  | { kind: 'error'; error: unknown; usage: Usage | undefined }
  | { kind: 'client_closed'; usage: Usage | undefined };

const concat = (a: Uint8Array, b: Uint8Array): Uint8Array => {
  const bytes = new Uint8Array(a.byteLength + b.byteLength);
  bytes.set(a);
  bytes.set(b, a.byteLength);
  return bytes;
};

/**
 * The bytes of a streamed answer, pulled by whichever server writes them: `first` is already
 * here, `next` gives the following bytes one write at a time (`null` once the body ended; it
 * never rejects), `cancel` is the client going away.
 */
export type SseSource = {
  first: Uint8Array | undefined;
  next(): Promise<Uint8Array | null>;
  cancel(): Promise<void>;
};

/**
 * The SSE body of a streamed answer whose first chunk is already here. Upstream failures and the
 * end-to-end deadline become a final `data: {"error":…}` event and a clean close (no `[DONE]`,
 * so no client mistakes the cut answer for a whole one); a client that goes away cancels the
 * body, which aborts the upstream call at once.
 */
export const sseSource = (
  opened: OpenedStream,
  options: {
    includeUsage: boolean;
    /** The client's connection: once it is gone, a failure is its leaving, not the provider's. */
    clientSignal: AbortSignal;
    onEnd: (end: StreamEnd) => void;
    /** Sees every upstream chunk, first included, before it is mapped for the client. */
    onChunk?: (chunk: ChatCompletionChunk) => void;
    /** A last event to send before `data: [DONE]` (a held call's approval token), once upstream is done. */
    beforeDone?: () => Promise<unknown>;
  },
): SseSource => {
  const writer = createSseWriter(options.includeUsage);
  let ended = false;
  const end = (how: StreamEnd) => {
    if (ended) return;
    ended = true;
    options.onEnd(how);
  };
  const bytesOf = (item: StreamItem): Uint8Array | undefined => {
    if (options.onChunk !== undefined) {
      if (!isWireBatch(item)) options.onChunk(item);
      else for (const event of item) options.onChunk(event.chunk());
    }
    return isWireBatch(item) ? writer.batch(item) : writer.chunk(item);
  };

  return {
    first: bytesOf(opened.firstEvents ?? opened.first),
    async next() {
      if (ended) return null;
      try {
        // Loop until there are bytes: a dropped usage chunk must not stall the body.
        for (;;) {
          const next = await opened.rest.next();
          if (next.done) {
            const last = await options.beforeDone?.();
            end({ kind: 'done', usage: writer.usage() });
            return last === undefined ? writer.done() : concat(sseData(last), writer.done());
          }
          const bytes = bytesOf(next.value);
          if (bytes !== undefined) return bytes;
        }
      } catch (error) {
        if (ended) return null;
        if (options.clientSignal.aborted) {
          end({ kind: 'client_closed', usage: writer.usage() });
          return null;
        }
        end({ kind: 'error', error, usage: writer.usage() });
        return writer.error(error);
      }
    },
    async cancel() {
      opened.close();
      end({ kind: 'client_closed', usage: writer.usage() });
      await opened.rest.return(undefined).catch(() => {});
    },
  };
};

/** A source as a web stream (`app.fetch`), pulled one write at a time. */
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
      cancel: () => source.cancel(),
    },
    // Pull one chunk at a time: backpressure reaches the upstream read.
    { highWaterMark: 0 },
  );
