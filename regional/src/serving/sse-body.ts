import {
  createSseSource,
  type SseEnd,
  type SseSource,
  type SseSourceOptions,
} from '@switchback/router-core';
import type { OpenedStream } from '../resilience/provider-runner.ts';

export { type SseSource, sseStream } from '@switchback/router-core';

/** How a stream ended: `error` carries what the client was told in the final event. */
export type StreamEnd = SseEnd;

/**
 * The SSE body of a streamed answer whose first chunk is already here (router-core's
 * `createSseSource`, the edge's too): the upstream's own reads passed through where it speaks
 * the client's wire, else its chunks mapped. A client that goes away cancels the body, which
 * aborts the upstream call at once.
 */
export const sseSource = (
  opened: OpenedStream,
  options: SseSourceOptions & {
    /** The client's connection: once it is gone, a failure is its leaving, not the provider's. */
    clientSignal: AbortSignal;
  },
): SseSource =>
  createSseSource(
    { first: opened.firstRead ?? opened.first, rest: opened.rest, close: () => opened.close() },
    options,
  );
