import {
  type ChatCompletionChunk,
  createSseWriter,
  sseData,
  type Usage,
} from '@switchback/router-core';

export type StreamEnd = { usage?: Usage; error?: unknown };

export type SseResponseOptions = {
  headers: Headers;
  /** OpenAI's `stream_options.include_usage`: send the usage chunk, `usage: null` on the rest. */
  includeUsage: boolean;
  /** Called once when the stream ends, fails, or the client goes away. */
  onEnd: (end: StreamEnd) => void;
  /** Sees every upstream chunk, first included, before it is mapped for the client. */
  onChunk?: (chunk: ChatCompletionChunk) => void;
  /** Stops the upstream (the client went away). */
  abort: (reason: unknown) => void;
  /** A last event to send before `data: [DONE]` (a held call's approval token), once upstream is done. */
  beforeDone?: () => Promise<unknown>;
};

/**
 * The SSE answer once the first chunk is in hand (headers were held until then): that chunk, the
 * rest as they come, `data: [DONE]`. A failure after the first chunk cannot be retried: it
 * becomes a final `data: {"error":…}` event and the stream closes.
 */
export const sseResponse = (
  first: ChatCompletionChunk,
  rest: AsyncIterator<ChatCompletionChunk>,
  options: SseResponseOptions,
): Response => {
  const writer = createSseWriter(options.includeUsage);
  let ended = false;
  const end = (outcome: StreamEnd) => {
    if (ended) return;
    ended = true;
    const usage = writer.usage();
    options.onEnd({ ...outcome, ...(usage ? { usage } : {}) });
  };
  const encode = (chunk: ChatCompletionChunk): Uint8Array | undefined => {
    options.onChunk?.(chunk);
    return writer.chunk(chunk);
  };
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const bytes = encode(first);
      if (bytes) controller.enqueue(bytes);
    },
    async pull(controller) {
      try {
        // Skip chunks that encode to nothing, so every pull makes progress for the reader.
        for (;;) {
          const next = await rest.next();
          if (next.done) {
            const last = await options.beforeDone?.();
            if (last !== undefined) controller.enqueue(sseData(last));
            controller.enqueue(writer.done());
            controller.close();
            end({});
            return;
          }
          const bytes = encode(next.value);
          if (bytes) {
            controller.enqueue(bytes);
            return;
          }
        }
      } catch (error) {
        controller.enqueue(writer.error(error));
        controller.close();
        end({ error });
      }
    },
    async cancel(reason) {
      options.abort(reason);
      end({ error: reason });
      await rest.return?.();
    },
  });
  options.headers.set('content-type', 'text/event-stream; charset=utf-8');
  options.headers.set('cache-control', 'no-cache');
  return new Response(body, { status: 200, headers: options.headers });
};
