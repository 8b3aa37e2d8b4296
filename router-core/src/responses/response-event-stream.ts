import type { ErrorEnvelope } from '../errors/router-error.ts';
import type { ChatCompletionChunk } from '../openai/chat-response.ts';
import { sseDataBatches } from '../sse/sse.ts';
import type { ResponseObject } from './response-object.ts';
import { createResponseStream, type SequencedEvent } from './stream-events.ts';

const encoder = new TextEncoder();

/** Typed events as SSE, each named by its type (`event: response.created` …), no `[DONE]`. */
export const encodeResponseEvents = (events: readonly SequencedEvent[]): Uint8Array =>
  encoder.encode(
    events.map((event) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`).join(''),
  );

const CUT: ErrorEnvelope['error'] = {
  message: 'The upstream failed after the answer started: the stream ended before it was whole.',
  type: 'server_error',
  param: null,
  code: 'upstream_error',
};

const parseEvent = (data: string): ChatCompletionChunk | ErrorEnvelope | undefined => {
  try {
    return JSON.parse(data) as ChatCompletionChunk | ErrorEnvelope;
  } catch {
    return undefined;
  }
};

/**
 * A chat-completions SSE body as the Responses event stream of `shell`: read one upstream read
 * at a time (backpressure reaches the chat stream), `[DONE]` closing it whole, a final
 * `data: {"error":…}` as `response.failed` + `error` (the final response is handed to `onEnd`,
 * awaited, before its event goes out: it is stored when the client reads the end), and a client that goes away cancelling the
 * chat stream (so the door aborts its upstream call).
 */
export const responseEventStream = (
  shell: ResponseObject,
  chat: ReadableStream<Uint8Array>,
  /** Told the final response (completed, incomplete or failed) before its event goes out. */
  onEnd: (response: ResponseObject) => Promise<void> = async () => {},
): ReadableStream<Uint8Array> => {
  const events = createResponseStream(shell);
  const reader = chat.getReader();
  async function* reads(): AsyncGenerator<Uint8Array> {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  }
  const batches = sseDataBatches(reads());
  const finish = async (
    controller: ReadableStreamDefaultController<Uint8Array>,
    out: SequencedEvent[],
  ) => {
    await onEnd(events.response()).catch(() => {});
    controller.enqueue(encodeResponseEvents(out));
    controller.close();
    reader.cancel().catch(() => {});
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        for (;;) {
          let next: IteratorResult<string[]>;
          try {
            next = await batches.next();
          } catch {
            return finish(controller, events.fail(CUT));
          }
          if (next.done) return finish(controller, events.fail(CUT));
          const out: SequencedEvent[] = [];
          for (const data of next.value) {
            if (data === '[DONE]') return finish(controller, [...out, ...events.end()]);
            const value = parseEvent(data);
            if (value === undefined) return finish(controller, [...out, ...events.fail(CUT)]);
            if ('error' in value) return finish(controller, [...out, ...events.fail(value.error)]);
            out.push(...events.push(value));
          }
          if (out.length > 0) {
            controller.enqueue(encodeResponseEvents(out));
            return;
          }
        }
      },
      async cancel(reason) {
        await reader.cancel(reason).catch(() => {});
      },
    },
    { highWaterMark: 0 },
  );
};
