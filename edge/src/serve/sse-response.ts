import {
  type ChatCompletionChunk,
  errorEnvelope,
  RouterError,
  SSE_DONE,
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
};

const mapChunk = (
  chunk: ChatCompletionChunk,
  includeUsage: boolean,
): { out?: ChatCompletionChunk; usage?: Usage } => {
  const { usage, ...rest } = chunk;
  if (chunk.choices.length === 0) {
    // The usage-only chunk: forwarded only when asked for, as OpenAI does.
    return usage ? { usage, ...(includeUsage ? { out: { ...rest, usage } } : {}) } : {};
  }
  return {
    out: includeUsage ? { ...rest, usage: null } : rest,
    ...(usage ? { usage } : {}),
  };
};

/** Why a stream broke, as the client's final `data: {"error":…}` event. */
const midStreamError = (error: unknown) =>
  errorEnvelope(
    error instanceof RouterError
      ? error
      : new RouterError(
          'upstream_error',
          `The upstream failed after the answer started: ${error instanceof Error ? error.message : String(error)}`,
        ),
  );

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
  let usage: Usage | undefined;
  let ended = false;
  const end = (outcome: StreamEnd) => {
    if (ended) return;
    ended = true;
    options.onEnd({ ...outcome, ...(usage ? { usage } : {}) });
  };
  const encode = (chunk: ChatCompletionChunk): Uint8Array | undefined => {
    options.onChunk?.(chunk);
    const mapped = mapChunk(chunk, options.includeUsage);
    if (mapped.usage) usage = mapped.usage;
    return mapped.out ? sseData(mapped.out) : undefined;
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
            controller.enqueue(SSE_DONE);
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
        controller.enqueue(sseData(midStreamError(error)));
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
