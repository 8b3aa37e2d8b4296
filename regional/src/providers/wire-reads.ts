import {
  type ChatCompletionChunk,
  createWireScanner,
  UpstreamError,
  type WireEvent,
  WireRead,
} from '@switchback/router-core';
import type { UpstreamReply } from './http/pooled-fetch.ts';

export type WireReadsOptions = {
  id: string;
  /** An event's JSON in router-core's chunk shape. */
  parse: (data: string) => ChatCompletionChunk;
  /** What a thrown value is as an `UpstreamError`, given whether the answer had started. */
  failure: (thrown: unknown, streamed: boolean) => UpstreamError;
};

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

const errorMessage = (data: string): string => {
  try {
    const { error } = JSON.parse(data) as { error?: { message?: unknown } };
    if (typeof error?.message === 'string') return error.message;
  } catch {
    // A broken error event still ends the answer.
  }
  return 'unknown error';
};

/**
 * An OpenAI-shaped SSE answer as the reads it arrives in, each scanned for its events
 * (router-core's wire scanner): one step per read, no async generator, nothing parsed. An error
 * event, a body that ends without a finish reason and a broken connection are `UpstreamError`s
 * (`mid_stream` once the answer started). After `[DONE]` (or the body's end) the connection goes
 * back to the pool; after anything else it is closed, since its state is unknown.
 */
export const wireReads = (
  reply: UpstreamReply,
  options: WireReadsOptions,
): AsyncIterableIterator<WireRead> => {
  const scanner = createWireScanner(options.parse);
  let streamed = false;
  let finished = false;
  // `open`: reading; `ended`: the body is over and the connection released; `over`: nothing more.
  let state: 'open' | 'ended' | 'over' = 'open';
  const close = (reuse: boolean) => {
    if (state !== 'open') return;
    state = reuse ? 'ended' : 'over';
    reply.release(reuse);
  };
  // An error event after some of a read's events: those go out first, the error on the next step.
  let pending: UpstreamError | undefined;
  const checked = (read: WireRead): WireRead => {
    const { events } = read;
    for (let i = 0; i < events.length; i++) {
      const event = events[i] as WireEvent;
      if (event.facts.error) {
        const error = new UpstreamError(
          streamed || i > 0 ? 'mid_stream' : 'server',
          options.id,
          `${options.id} sent an error event: ${errorMessage(event.data())}`,
        );
        if (i === 0) throw error;
        pending = error;
        streamed = true;
        return new WireRead(read.bytes, events.slice(0, i), false);
      }
      if (event.finished) finished = true;
    }
    streamed = true;
    return read;
  };
  const unfinished = () =>
    new UpstreamError(
      streamed ? 'mid_stream' : 'server',
      options.id,
      `${options.id} ended its stream without finishing the answer.`,
    );

  const iterator: AsyncIterableIterator<WireRead> = {
    async next(): Promise<IteratorResult<WireRead>> {
      if (pending !== undefined) {
        const error = pending;
        pending = undefined;
        state = 'over';
        throw error;
      }
      if (state === 'over') return DONE;
      if (state === 'ended') {
        state = 'over';
        if (!finished) throw unfinished();
        return DONE;
      }
      try {
        for (;;) {
          const bytes = await reply.read();
          const read = bytes === null ? scanner.end() : scanner.push(bytes);
          const ended = bytes === null || scanner.done;
          if (read !== undefined) {
            const value = checked(read);
            if (pending !== undefined) close(false);
            else if (ended) close(true);
            return { done: false, value };
          }
          if (ended) {
            close(true);
            state = 'over';
            if (!finished) throw unfinished();
            return DONE;
          }
        }
      } catch (thrown) {
        close(false);
        state = 'over';
        throw thrown instanceof UpstreamError ? thrown : options.failure(thrown, streamed);
      }
    },
    async return(): Promise<IteratorResult<WireRead>> {
      close(false);
      state = 'over';
      return DONE;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
};
