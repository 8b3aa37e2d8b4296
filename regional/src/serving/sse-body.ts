import {
  asRouterError,
  type ChatCompletionChunk,
  errorEnvelope,
  SSE_DONE,
  sseData,
  type Usage,
} from '@switchback/router-core';
import type { OpenedStream } from '../resilience/provider-runner.ts';
import { chunkForClient } from './chunk-for-client.ts';

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
  },
): ReadableStream<Uint8Array> => {
  let usage: Usage | undefined;
  let ended = false;
  const end = (how: StreamEnd) => {
    if (ended) return;
    ended = true;
    options.onEnd(how);
  };
  const send = (
    controller: ReadableStreamDefaultController<Uint8Array>,
    chunk: ChatCompletionChunk,
  ): boolean => {
    options.onChunk?.(chunk);
    if (chunk.usage) usage = chunk.usage;
    const out = chunkForClient(chunk, options.includeUsage);
    if (out === undefined) return false;
    controller.enqueue(sseData(out));
    return true;
  };

  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        send(controller, opened.first);
      },
      async pull(controller) {
        try {
          // Loop until something is enqueued: a dropped usage chunk must not stall the body.
          for (;;) {
            const next = await opened.rest.next();
            if (next.done) {
              controller.enqueue(SSE_DONE);
              controller.close();
              end({ kind: 'done', usage });
              return;
            }
            if (send(controller, next.value)) return;
          }
        } catch (error) {
          if (ended) return;
          if (options.clientSignal.aborted) {
            end({ kind: 'client_closed', usage });
            controller.close();
            return;
          }
          controller.enqueue(sseData(errorEnvelope(asRouterError(error))));
          controller.close();
          end({ kind: 'error', error, usage });
        }
      },
      async cancel() {
        opened.close();
        end({ kind: 'client_closed', usage });
        await opened.rest.return(undefined).catch(() => {});
      },
    },
    // Pull one chunk at a time: backpressure reaches the upstream read.
    { highWaterMark: 0 },
  );
};
