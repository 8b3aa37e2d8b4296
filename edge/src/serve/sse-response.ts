import {
  type ChatCompletionChunk,
  createSseSource,
  sseStream,
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
 * rest as they come, `data: [DONE]`, through router-core's `createSseSource`, the body regional
 * writes too. A failure after the first chunk cannot be retried: it becomes a final
 * `data: {"error":…}` event and the stream closes.
 */
export const sseResponse = (
  first: ChatCompletionChunk,
  rest: AsyncIterator<ChatCompletionChunk>,
  options: SseResponseOptions,
): Response => {
  const source = createSseSource(
    { first, rest, close: (reason) => options.abort(reason) },
    {
      includeUsage: options.includeUsage,
      onChunk: options.onChunk,
      beforeDone: options.beforeDone,
      onEnd: (end) =>
        options.onEnd({
          ...(end.usage ? { usage: end.usage } : {}),
          ...(end.kind === 'error'
            ? { error: end.error }
            : end.kind === 'client_closed'
              ? { error: end.reason }
              : {}),
        }),
    },
  );
  options.headers.set('content-type', 'text/event-stream; charset=utf-8');
  options.headers.set('cache-control', 'no-cache');
  return new Response(sseStream(source), { status: 200, headers: options.headers });
};
