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

/**
 * The SSE body of a streamed answer whose first chunk is already here. Upstream failures and the
 * end-to-end deadline become a final `data: {"error":…}` event and a clean close (no `[DONE]`,
 * so no client mistakes the cut answer for a whole one); a client that goes away cancels the
 * body, which aborts the upstream call at once.
 */
export const sseBody = (
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
): ReadableStream<Uint8Array> => {
  const writer = createSseWriter(options.includeUsage);
  let ended = false;
  const end = (how: StreamEnd) => {
    if (ended) return;
    ended = true;
    options.onEnd(how);
  };
  const send = (
    controller: ReadableStreamDefaultController<Uint8Array>,
    item: StreamItem,
  ): boolean => {
    if (options.onChunk !== undefined) {
      if (!isWireBatch(item)) options.onChunk(item);
      else for (const event of item) options.onChunk(event.chunk());
    }
    const bytes = isWireBatch(item) ? writer.batch(item) : writer.chunk(item);
    if (bytes === undefined) return false;
    controller.enqueue(bytes);
    return true;
  };

  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        send(controller, opened.firstEvents ?? opened.first);
      },
      async pull(controller) {
        try {
          // Loop until something is enqueued: a dropped usage chunk must not stall the body.
          for (;;) {
            const next = await opened.rest.next();
            if (next.done) {
              const last = await options.beforeDone?.();
              if (last !== undefined) controller.enqueue(sseData(last));
              controller.enqueue(writer.done());
              controller.close();
              end({ kind: 'done', usage: writer.usage() });
              return;
            }
            if (send(controller, next.value)) return;
          }
        } catch (error) {
          if (ended) return;
          if (options.clientSignal.aborted) {
            end({ kind: 'client_closed', usage: writer.usage() });
            controller.close();
            return;
          }
          controller.enqueue(writer.error(error));
          controller.close();
          end({ kind: 'error', error, usage: writer.usage() });
        }
      },
      async cancel() {
        opened.close();
        end({ kind: 'client_closed', usage: writer.usage() });
        await opened.rest.return(undefined).catch(() => {});
      },
    },
    // Pull one chunk at a time: backpressure reaches the upstream read.
    { highWaterMark: 0 },
  );
};
