import type { SseSource } from '../../serving/sse-body.ts';

/** Request headers as the pipeline reads them: `Headers`' `get` (case-insensitive, joined). */
export type HeaderView = { get(name: string): string | null };

/**
 * A request as regional's front door reads it, whichever server carried it: Node's own
 * request (`node-exchange.ts`) or a web `Request` (`web-exchange.ts`, for `app.fetch`).
 */
export type Exchange = {
  method: string;
  /** The path without the query. */
  path: string;
  /** The path with the query, as the edge signs it. */
  target: string;
  headers: HeaderView;
  /** Aborted when the client goes away before its answer was written. */
  signal: AbortSignal;
  /**
   * The body as text (size limit, strict UTF-8, arrival deadline). Read once: every later call
   * gets the first read's text (or failure), whatever its own limits.
   */
  body(maxBytes: number, timeoutMs: number): Promise<string>;
};

/** The front door's answer, written by the server that carried the request. */
export type Reply =
  /** A whole body (JSON answers and errors); its headers carry the content type. */
  | { kind: 'body'; status: number; headers: Record<string, string>; body: string }
  /** A streamed answer (200, SSE): its first chunk is already here. */
  | { kind: 'sse'; headers: Record<string, string>; source: SseSource }
  /** A web `Response` (rare paths: idempotency replays). */
  | { kind: 'web'; response: Response };

export const replyStatus = (reply: Reply): number =>
  reply.kind === 'sse' ? 200 : reply.kind === 'web' ? reply.response.status : reply.status;

/** Sets one header on a reply of any kind. */
export const setReplyHeader = (reply: Reply, name: string, value: string): void => {
  if (reply.kind === 'web') reply.response.headers.set(name, value);
  else reply.headers[name] = value;
};

/** The first call's promise for every call: a request body can be read once. */
export const once = <A extends unknown[], T>(read: (...args: A) => Promise<T>) => {
  let result: Promise<T> | undefined;
  return (...args: A): Promise<T> => {
    result ??= read(...args);
    return result;
  };
};
